import { type RequestLogJob, RequestLogJobSchema } from "@429chain/contracts";

/** A valid RequestLogJob v1 for tests; parsed so a contract change breaks the tests loudly. */
export function makeLogJob(
  requestId: string,
  overrides: Partial<RequestLogJob> = {},
): RequestLogJob {
  return RequestLogJobSchema.parse({
    v: 1,
    requestId,
    at: 1_700_000_000_000,
    apiKeyId: null,
    chain: "default",
    provider: "groq",
    model: "llama-3.1-8b-instant",
    stream: false,
    outcome: "ok",
    httpStatus: 200,
    errorCode: null,
    promptTokens: 10,
    completionTokens: 20,
    tokensEstimated: false,
    costMicros: null,
    savedMicros: null,
    latencyMs: 120,
    ttfbMs: 80,
    replica: "test",
    attempts: [],
    ...overrides,
  });
}
