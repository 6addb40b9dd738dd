import {
  entryRollups,
  processRequestLogBatch,
  requestLogs,
  statsOverview,
  usageRollups,
} from "@429chain/db";
import {
  chainOf,
  completion,
  type FakeUpstream,
  openaiRateLimited,
  startFakeUpstream,
} from "@429chain/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "./db-fixture";
import {
  baseConfig,
  capturingSink,
  freeAndPaidProviders,
  postChat,
  startTestGateway,
  type TestGateway,
} from "./harness";

describe("cost and money saved per request, in the log row and the rollups (real Postgres)", () => {
  let upstream: FakeUpstream;
  let gw: TestGateway;
  let db: TestDb;
  const sink = capturingSink();

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    db = await createTestDb("gw_request_cost");
    gw = await startTestGateway(
      baseConfig({
        providers: freeAndPaidProviders(upstream.url, "oai"),
        chains: [
          // The reference price is $2.50 / $10 per million tokens; the oai entry is priced by
          // the bundled table: $0.15 / $0.60, cached input $0.075.
          chainOf("c", ["free/llama-3.1-8b-instant", "oai/gpt-4o-mini-2024-07-18"], {
            budget: { dailyUsd: 5 },
            referencePrice: "openai/gpt-4o",
          }),
        ],
      }),
      { overrides: { logSink: sink } },
    );
  });

  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
    await db?.close();
  });

  it("prices the free answer 0 and the paid one at its table price; both save against the reference", async () => {
    const usage = { prompt_tokens: 1_000, completion_tokens: 500, total_tokens: 1_500 };
    upstream.route(
      "/free/chat/completions",
      completion("llama", "free", usage),
      openaiRateLimited({ retryAfterS: 60 }),
    );
    upstream.route("/oai/chat/completions", {
      status: 200,
      body: {
        ...completionBody(usage),
        usage: { ...usage, prompt_tokens_details: { cached_tokens: 400 } },
      },
    });
    const first = await postChat(gw.url, { model: "c" });
    expect(first.headers.get("x-429chain-entry")).toBe("free/llama-3.1-8b-instant");
    const second = await postChat(gw.url, { model: "c" });
    expect(second.headers.get("x-429chain-entry")).toBe("oai/gpt-4o-mini-2024-07-18");

    // Reference: 1000 × 2.5 + 500 × 10 = 7,500 (free answer), and with 400 cached tokens at
    // $1.25: 7,000 (paid answer). Paid: 600 × 0.15 + 400 × 0.075 + 500 × 0.6 = 420.
    await expect.poll(() => sink.jobs.length).toBe(2);
    const [free, paid] = sink.jobs;
    expect(free).toMatchObject({ costMicros: 0, savedMicros: 7_500 });
    expect(paid).toMatchObject({ costMicros: 420, savedMicros: 6_580 });

    await processRequestLogBatch(db.handle.db, sink.jobs);
    const rows = await db.handle.db
      .select({ provider: requestLogs.provider, cost: requestLogs.costMicros })
      .from(requestLogs)
      .orderBy(requestLogs.at, requestLogs.provider);
    expect(rows).toEqual([
      { provider: "free", cost: 0 },
      { provider: "oai", cost: 420 },
    ]);
    const day = await db.handle.db
      .select({
        provider: usageRollups.provider,
        cost: usageRollups.costMicros,
        saved: usageRollups.savedMicros,
      })
      .from(usageRollups)
      .where(and(eq(usageRollups.bucketSize, "day"), eq(usageRollups.chain, "c")))
      .orderBy(usageRollups.provider);
    expect(day).toEqual([
      { provider: "free", cost: 0, saved: 7_500 },
      { provider: "oai", cost: 420, saved: 6_580 },
    ]);
    const entries = await db.handle.db
      .select({ provider: entryRollups.provider, cost: entryRollups.costMicros })
      .from(entryRollups)
      .where(eq(entryRollups.bucketSize, "day"))
      .orderBy(entryRollups.provider);
    expect(entries).toEqual([
      { provider: "free", cost: 0 },
      { provider: "oai", cost: 420 },
    ]);
    const overview = await statsOverview(db.handle.db, {
      from: new Date(Date.now() - 3_600_000),
      to: new Date(Date.now() + 60_000),
    });
    expect(overview).toMatchObject({ costMicros: 420, savedMicros: 14_080 });
  });
});

function completionBody(usage: Record<string, number>) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1_767_225_600,
    model: "gpt-4o-mini",
    choices: [{ index: 0, message: { role: "assistant", content: "paid" }, finish_reason: "stop" }],
    usage,
  };
}
