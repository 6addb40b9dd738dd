import { describe, expect, it } from "vitest";
import { RequestLogJobSchema } from "./request-log";

const LOG = {
  v: 1,
  requestId: "req-1",
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
  latencyMs: 120,
  ttfbMs: 80,
  replica: "r1",
  attempts: [
    {
      provider: "groq",
      model: "llama-3.1-8b-instant",
      outcome: "ok",
      status: 200,
      latencyMs: 100,
      cooldownUntil: null,
    },
  ],
};

const issuesOf = (value: unknown) => {
  const parsed = RequestLogJobSchema.safeParse(value);
  return parsed.success ? [] : [...new Set(parsed.error.issues.map((i) => i.path.join(".")))];
};

describe("RequestLogJobSchema", () => {
  it("reads a log queued by a gateway that knew no clientRequestId as null", () => {
    expect(RequestLogJobSchema.parse(LOG).clientRequestId).toBeNull();
    expect(RequestLogJobSchema.parse({ ...LOG, clientRequestId: "abc-1" }).clientRequestId).toBe(
      "abc-1",
    );
  });

  it("bounds clientRequestId to 128 printable ASCII characters", () => {
    expect(issuesOf({ ...LOG, clientRequestId: "x".repeat(128) })).toEqual([]);
    expect(issuesOf({ ...LOG, clientRequestId: "x".repeat(129) })).toEqual(["clientRequestId"]);
    expect(issuesOf({ ...LOG, clientRequestId: "a\nb" })).toEqual(["clientRequestId"]);
    expect(issuesOf({ ...LOG, clientRequestId: "é" })).toEqual(["clientRequestId"]);
    expect(issuesOf({ ...LOG, clientRequestId: "" })).toEqual(["clientRequestId"]);
  });

  it("refuses text Postgres would refuse or could not index: NUL, over-long names", () => {
    expect(issuesOf({ ...LOG, chain: `c\u0000` })).toEqual(["chain"]);
    expect(issuesOf({ ...LOG, model: `groq/${"m".repeat(8000)}` })).toEqual(["model"]);
    expect(issuesOf({ ...LOG, chain: "c".repeat(513) })).toEqual(["chain"]);
    expect(issuesOf({ ...LOG, replica: "r\u0000" })).toEqual(["replica"]);
    const attempt = { ...LOG.attempts[0], provider: "p".repeat(257) };
    expect(issuesOf({ ...LOG, attempts: [attempt] })).toEqual(["attempts.0.provider"]);
    expect(issuesOf({ ...LOG, chain: "c".repeat(512), model: "m".repeat(256) })).toEqual([]);
  });
});
