import { randomBytes } from "node:crypto";
import type { RequestLogJob } from "@429chain/contracts";
import { asc, count, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../create-db";
import { requestLogDeadLetters } from "../../schema/request-log-dead-letters";
import { requestLogs } from "../../schema/request-logs";
import { usageRollups } from "../../schema/usage-rollups";
import { type OpenTestDb, openTestDb, TEST_BACKENDS } from "../../testing/test-database";
import { isDatabaseUnavailable } from "../../unavailable";
import { processRequestLogBatch } from "./process-batch";
import { knownJobs, T0, testJob } from "./test-jobs";

const MIN = 60_000;

/** Bypasses the contract on purpose: any producer's log must be survivable. */
const poison = (requestId: string, overrides: Partial<RequestLogJob>): RequestLogJob => ({
  ...testJob({ requestId: "valid", at: T0 + MIN }),
  requestId,
  ...overrides,
});

/** 8,000 characters that do not compress: a btree key far over Postgres's 2,704 bytes. */
const hugeName = () => `groq/${randomBytes(4_000).toString("hex")}`;

async function storedIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: requestLogs.requestId })
    .from(requestLogs)
    .orderBy(asc(requestLogs.requestId));
  return rows.map((r) => r.id);
}

async function dayRequests(db: Db): Promise<number> {
  const rows = await db.select().from(usageRollups);
  return rows.filter((r) => r.bucketSize === "day").reduce((n, r) => n + r.requests, 0);
}

const deadLetters = (db: Db) =>
  db.select().from(requestLogDeadLetters).orderBy(asc(requestLogDeadLetters.requestId));

/**
 * A refusal chosen per row, as any constraint or trigger might refuse: chain 'refuse' is a
 * check violation, 'deadlock' a transient conflict, and 'flaky' the database going away
 * the first time such a row is written (a sequence survives the rollback that follows).
 */
async function installRefusals(db: Db): Promise<void> {
  await db.execute(sql.raw("CREATE SEQUENCE flaky_seq"));
  await db.execute(
    sql.raw(`CREATE FUNCTION refuse_some() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.chain = 'refuse' THEN
          RAISE EXCEPTION 'chain refused' USING ERRCODE = '23514';
        ELSIF NEW.chain = 'deadlock' THEN
          RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01';
        ELSIF NEW.chain = 'flaky' AND nextval('flaky_seq') = 1 THEN
          RAISE EXCEPTION 'terminating connection' USING ERRCODE = '57P01';
        END IF;
        RETURN NEW;
      END $$`),
  );
  await db.execute(
    sql.raw(`CREATE TRIGGER refuse_some BEFORE INSERT ON request_logs
      FOR EACH ROW EXECUTE FUNCTION refuse_some()`),
  );
}

describe.each(TEST_BACKENDS)("processRequestLogBatch with poison logs (%s)", (backend) => {
  let t: OpenTestDb;
  beforeAll(async () => {
    t = await openTestDb(backend, "request_log_poison");
    await installRefusals(t.db);
  });
  beforeEach(async () => {
    await t.reset();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("stores the rest of a batch the database refuses one log of, and parks that log", async () => {
    const bad = poison("bad-index", { chain: hugeName() });
    const [r1, r2, ...rest] = knownJobs();
    if (!r1 || !r2) throw new Error("fixture");
    const result = await processRequestLogBatch(t.db, [r1, r2, bad, ...rest], {
      source: "worker:test",
    });
    expect(result).toEqual({ inserted: 5, duplicates: 0, deadLettered: 1 });
    expect(await storedIds(t.db)).toEqual(["r1", "r2", "r3", "r4", "r5"]);
    expect(await dayRequests(t.db)).toBe(5);
    const [parked, ...others] = await deadLetters(t.db);
    expect(others).toEqual([]);
    expect(parked).toMatchObject({
      requestId: "bad-index",
      sqlState: "54000",
      source: "worker:test",
    });
    expect(parked?.error).toMatch(/index row/);
    // The reason, never the statement or its parameters (the 8,000-character name).
    expect(parked?.error).not.toContain(bad.chain.slice(5, 50));
    expect(parked?.error).not.toMatch(/Failed query|params/);
    expect(JSON.parse(parked?.log ?? "null")).toEqual(bad);
  });

  it("parks each of several refused logs once, also when the batch comes again", async () => {
    const bad = [
      poison("bad-nul", { model: "m\u0000" }),
      poison("bad-check", { chain: "refuse" }),
      poison("bad-index", { chain: hugeName() }),
    ];
    const good = knownJobs();
    const batch = [bad[0], ...good.slice(0, 2), bad[1], ...good.slice(2), bad[2]].filter(
      (j): j is RequestLogJob => j !== undefined,
    );
    expect(await processRequestLogBatch(t.db, batch)).toEqual({
      inserted: 5,
      duplicates: 0,
      deadLettered: 3,
    });
    expect(await processRequestLogBatch(t.db, batch)).toEqual({
      inserted: 0,
      duplicates: 8,
      deadLettered: 0,
    });
    expect(await storedIds(t.db)).toEqual(["r1", "r2", "r3", "r4", "r5"]);
    expect(await dayRequests(t.db)).toBe(5);
    const parked = await deadLetters(t.db);
    expect(parked.map((p) => [p.requestId, p.sqlState, p.source])).toEqual([
      ["bad-check", "23514", "unknown"],
      ["bad-index", "54000", "unknown"],
      ["bad-nul", "22021", "unknown"],
    ]);
    // JSON text keeps the NUL as an escape, so the log that held one is parked intact.
    expect(JSON.parse(parked[2]?.log ?? "null")).toEqual(bad[0]);
  });

  it("a request id Postgres refuses still parks, NUL removed", async () => {
    const bad = poison("bad\u0000id", {});
    expect(await processRequestLogBatch(t.db, [bad, ...knownJobs()])).toMatchObject({
      inserted: 5,
      deadLettered: 1,
    });
    expect((await deadLetters(t.db)).map((p) => p.requestId)).toEqual(["badid"]);
  });

  it("the database going away during isolation: rejects, and the retry adds nothing twice", async () => {
    const [r1, r2] = knownJobs();
    if (!r1 || !r2) throw new Error("fixture");
    const batch = [poison("bad", { chain: "refuse" }), r1, poison("late", { chain: "flaky" }), r2];
    const first = await processRequestLogBatch(t.db, batch).catch((err: unknown) => err);
    expect(isDatabaseUnavailable(first)).toBe(true);
    // The half that committed before the outage stays; the rest waits for the retry.
    expect(await storedIds(t.db)).toEqual(["r1"]);
    expect(await processRequestLogBatch(t.db, batch)).toEqual({
      inserted: 2,
      duplicates: 2,
      deadLettered: 0,
    });
    expect(await storedIds(t.db)).toEqual(["late", "r1", "r2"]);
    expect(await dayRequests(t.db)).toBe(3);
    expect((await deadLetters(t.db)).map((p) => p.requestId)).toEqual(["bad"]);
    const [parked] = await t.db.select({ n: count() }).from(requestLogDeadLetters);
    expect(parked?.n).toBe(1);
  });

  it("a transient conflict (deadlock) is not a refusal: rejects, parks nothing", async () => {
    const [r1] = knownJobs();
    if (!r1) throw new Error("fixture");
    await expect(
      processRequestLogBatch(t.db, [r1, poison("d", { chain: "deadlock" })]),
    ).rejects.toThrow();
    expect(await storedIds(t.db)).toEqual([]);
    expect(await deadLetters(t.db)).toEqual([]);
  });
});
