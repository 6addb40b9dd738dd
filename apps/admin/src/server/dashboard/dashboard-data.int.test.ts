import { createClientKey, processRequestLogBatch } from "@429chain/db";
import { type OpenTestDb, openTestDb } from "@429chain/db/testing";
import { makeLogJob } from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDashboard, loadRateLimitsPerEntry } from "./dashboard-data";
import { resolveDashboardRange } from "./dashboard-range";

const HOUR = 3_600_000;
/** 10:00 UTC on a Monday; every request below falls within the hour after it. */
const T = Date.UTC(2026, 0, 5, 10);

const rateLimitedAttempt = {
  provider: "groq",
  model: "llama-3.1-8b-instant",
  outcome: "rate_limited" as const,
  status: 429,
  latencyMs: 15,
  cooldownUntil: T + 60_000,
};
const okAttempt = (provider: string, model: string) => ({
  provider,
  model,
  outcome: "ok" as const,
  status: 200,
  latencyMs: 100,
  cooldownUntil: null,
});

describe("dashboard data from rollups (postgres)", () => {
  let t: OpenTestDb;
  let keyId: string;
  beforeAll(async () => {
    t = await openTestDb("postgres", "admin_dashboard");
    const created = await createClientKey(t.db, { name: "team-a" }, "test");
    keyId = created.record.id;
    await processRequestLogBatch(t.db, [
      makeLogJob("r1", {
        at: T + 60_000,
        apiKeyId: keyId,
        attempts: [okAttempt("groq", "llama-3.1-8b-instant")],
      }),
      makeLogJob("r2", {
        at: T + 120_000,
        apiKeyId: keyId,
        provider: "openai",
        model: "gpt-4o-mini",
        latencyMs: 400,
        attempts: [rateLimitedAttempt, okAttempt("openai", "gpt-4o-mini")],
      }),
      makeLogJob("r3", {
        at: T + 30 * 60_000,
        outcome: "exhausted",
        httpStatus: 429,
        provider: "groq",
        promptTokens: 0,
        completionTokens: 0,
        attempts: [rateLimitedAttempt],
      }),
    ]);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("sums a custom range into tiles, a filled series, breakdowns and 429s per entry", async () => {
    const range = resolveDashboardRange(
      { range: "custom", from: "2026-01-05T10:00", to: "2026-01-05T11:00" },
      T + 2 * HOUR,
    );
    expect(range).toMatchObject({ bucket: "minute", from: new Date(T), to: new Date(T + HOUR) });
    const data = await loadDashboard(t.db, range);
    expect(data.overview).toMatchObject({
      requests: 3,
      successes: 2,
      waterfalledRequests: 1,
      rateLimitedAttempts: 2,
      promptTokens: 20,
      completionTokens: 40,
    });
    expect(data.series).toHaveLength(60);
    expect(data.series.map((p) => p.requests).reduce((a, b) => a + b)).toBe(3);
    expect(data.series[1]).toMatchObject({ bucketStart: new Date(T + 60_000), requests: 1 });
    expect(data.breakdowns.provider.map((r) => [r.label, r.requests])).toEqual([
      ["groq", 2],
      ["openai", 1],
    ]);
    expect(data.breakdowns.apiKey.map((r) => r.label)).toEqual([
      expect.stringMatching(/^team-a \(sk-429-\w{6}…\)$/),
      "no key",
    ]);
    expect(await loadRateLimitsPerEntry(t.db, range)).toEqual([
      {
        provider: "groq",
        model: "llama-3.1-8b-instant",
        quotaExhausted: 0,
        skipped: 0,
        rateLimited: 2,
        attempts: 3,
      },
    ]);
  });

  it("reads the 24h preset from hour rollups", async () => {
    const range = resolveDashboardRange({ range: "24h" }, T + 45 * 60_000);
    expect(range).toMatchObject({ bucket: "hour", to: new Date(T + HOUR) });
    const data = await loadDashboard(t.db, range);
    expect(data.series).toHaveLength(24);
    expect(data.series.at(-1)?.requests).toBe(3);
    expect(data.overview.requests).toBe(3);
  });

  it("is empty outside the logged time", async () => {
    const range = resolveDashboardRange({ range: "1h" }, T + 5 * HOUR);
    const data = await loadDashboard(t.db, range);
    expect(data.overview.requests).toBe(0);
    expect(data.series.every((p) => p.requests === 0)).toBe(true);
    expect(await loadRateLimitsPerEntry(t.db, range)).toEqual([]);
  });
});
