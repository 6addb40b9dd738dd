import { type RequestLogJob, RequestLogJobSchema } from "@429chain/contracts";

/** Midnight UTC: day, hour and minute buckets all start here. */
export const T0 = Date.UTC(2026, 0, 5);
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

type Overrides = Partial<RequestLogJob> & Pick<RequestLogJob, "requestId" | "at">;

/** A valid RequestLogJob (checked against the contract) with test defaults. */
export function testJob(overrides: Overrides): RequestLogJob {
  return RequestLogJobSchema.parse({
    v: 1,
    apiKeyId: "k1",
    chain: "c",
    provider: "p1",
    model: "m1",
    stream: false,
    outcome: "ok",
    httpStatus: 200,
    errorCode: null,
    promptTokens: 10,
    completionTokens: 5,
    tokensEstimated: false,
    costMicros: null,
    savedMicros: null,
    latencyMs: 40,
    ttfbMs: 30,
    replica: "r-a",
    attempts: [ok("p1", "m1")],
    ...overrides,
  });
}

function ok(provider: string, model: string) {
  return {
    provider,
    model,
    outcome: "ok" as const,
    status: 200,
    latencyMs: 30,
    cooldownUntil: null,
  };
}

function rateLimited(provider: string, model: string) {
  return {
    provider,
    model,
    outcome: "rate_limited" as const,
    status: 429,
    latencyMs: 5,
    cooldownUntil: T0 + DAY,
  };
}

/** Five requests over two days with known totals (see the stats tests); r2 and r5 share a
 * client request id; r5 came in through the Messages API. */
export function knownJobs(): RequestLogJob[] {
  return [
    testJob({ requestId: "r1", at: T0 + MIN }),
    testJob({
      requestId: "r2",
      clientRequestId: "client-7",
      at: T0 + MIN + 10_000,
      apiKeyId: null,
      latencyMs: 120,
      attempts: [rateLimited("p2", "m2"), ok("p1", "m1")],
    }),
    testJob({
      requestId: "r3",
      at: T0 + 2 * HOUR,
      provider: "p2",
      model: "m2",
      outcome: "exhausted",
      httpStatus: 429,
      errorCode: "chain_exhausted",
      promptTokens: 0,
      completionTokens: 0,
      latencyMs: 9000,
      ttfbMs: null,
      attempts: [
        rateLimited("p1", "m1"),
        {
          provider: "p2",
          model: "m2",
          outcome: "skipped_cooldown",
          status: null,
          latencyMs: 0,
          cooldownUntil: T0 + DAY,
        },
      ],
    }),
    testJob({
      requestId: "r4",
      at: T0 + DAY + 5 * MIN,
      chain: "d",
      provider: null,
      model: null,
      outcome: "rejected",
      httpStatus: 401,
      promptTokens: 0,
      completionTokens: 0,
      latencyMs: 1,
      ttfbMs: null,
      attempts: [],
    }),
    // The same X-Request-Id as r2: a client's id is no key, both requests count.
    testJob({
      requestId: "r5",
      clientRequestId: "client-7",
      api: "messages",
      at: T0 + MIN + 20_000,
      latencyMs: 300,
    }),
  ];
}
