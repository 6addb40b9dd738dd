import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { requestAttempts, requestLogs } from "../../schema/request-logs";
import { usageRollups } from "../../schema/usage-rollups";
import { type OpenTestDb, openTestDb, TEST_BACKENDS } from "../../testing/test-database";
import { listRequestLogs } from "./list-request-logs";
import { processRequestLogBatch } from "./process-batch";
import { deleteOldMinuteRollups, deleteOldRequestLogs } from "./retention";
import { knownJobs, T0 } from "./test-jobs";

const HOUR = 3_600_000;
const DAY = 86_400_000;

describe.each(TEST_BACKENDS)("request log listing and retention (%s)", (backend) => {
  let t: OpenTestDb;
  beforeAll(async () => {
    t = await openTestDb(backend, "request_log_list");
  });
  beforeEach(async () => {
    await t.reset();
    await processRequestLogBatch(t.db, knownJobs());
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("pages newest first with attempts", async () => {
    const ids: string[][] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listRequestLogs(t.db, { limit: 2, cursor });
      ids.push(page.items.map((r) => r.requestId));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(ids).toEqual([["r4", "r3"], ["r5", "r2"], ["r1"]]);
    const r2 = (
      await listRequestLogs(t.db, { limit: 10, apiKeyId: undefined, outcome: "ok" })
    ).items.find((r) => r.requestId === "r2");
    expect(r2?.attempts.map((a) => [a.position, a.outcome])).toEqual([
      [0, "rate_limited"],
      [1, "ok"],
    ]);
  });

  it("filters the log", async () => {
    const page = await listRequestLogs(t.db, {
      limit: 10,
      chain: "c",
      provider: "p1",
      apiKeyId: "k1",
    });
    expect(page.items.map((r) => r.requestId)).toEqual(["r5", "r1"]);
    const ranged = await listRequestLogs(t.db, {
      limit: 10,
      from: new Date(T0 + HOUR),
      to: new Date(T0 + DAY),
    });
    expect(ranged.items.map((r) => r.requestId)).toEqual(["r3"]);
  });

  it("finds every request a client sent with one X-Request-Id, by exact match", async () => {
    const page = await listRequestLogs(t.db, { limit: 10, clientRequestId: "client-7" });
    expect(page.items.map((r) => [r.requestId, r.clientRequestId])).toEqual([
      ["r5", "client-7"],
      ["r2", "client-7"],
    ]);
    expect((await listRequestLogs(t.db, { limit: 10, clientRequestId: "client" })).items).toEqual(
      [],
    );
    const r1 = (await listRequestLogs(t.db, { limit: 10 })).items.find((r) => r.requestId === "r1");
    expect(r1?.clientRequestId).toBeNull();
  });

  it("records and filters the API surface a request came in through", async () => {
    const messages = await listRequestLogs(t.db, { limit: 10, api: "messages" });
    expect(messages.items.map((r) => [r.requestId, r.api])).toEqual([["r5", "messages"]]);
    const chat = await listRequestLogs(t.db, { limit: 10, api: "chat" });
    expect(chat.items.map((r) => r.requestId)).not.toContain("r5");
  });

  it("deletes only old raw rows, in batches, with their attempts", async () => {
    expect(await deleteOldRequestLogs(t.db, { olderThan: new Date(T0 + HOUR), batchSize: 2 })).toBe(
      3,
    );
    const left = await t.db.select({ id: requestLogs.requestId }).from(requestLogs);
    expect(left.map((r) => r.id).sort()).toEqual(["r3", "r4"]);
    const [attempts] = await t.db.select({ n: count() }).from(requestAttempts);
    expect(attempts?.n).toBe(2);
    expect(await deleteOldRequestLogs(t.db, { olderThan: new Date(T0 + HOUR), batchSize: 2 })).toBe(
      0,
    );
  });

  it("deletes old minute rollups and keeps hour and day ones", async () => {
    expect(await deleteOldMinuteRollups(t.db, new Date(T0 + DAY))).toBe(3);
    const minutes = await t.db
      .select()
      .from(usageRollups)
      .where(eq(usageRollups.bucketSize, "minute"));
    expect(minutes.map((r) => r.chain)).toEqual(["d"]);
    const [all] = await t.db.select({ n: count() }).from(usageRollups);
    expect(all?.n).toBe(1 + 4 + 4);
  });
});
