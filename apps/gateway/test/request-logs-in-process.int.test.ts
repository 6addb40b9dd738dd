import { randomBytes } from "node:crypto";
import { listRequestLogs, requestLogDeadLetters } from "@429chain/db";
import { makeLogJob } from "@429chain/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayMetrics } from "../src/metrics";
import { createLogSink, type LogSinkChoice } from "../src/request-log/log-sink";
import { createTestDb, type TestDb } from "./db-fixture";

let db: TestDb;
let metrics: GatewayMetrics;
let logs: LogSinkChoice;

beforeAll(async () => {
  db = await createTestDb("gw_inproc_logs");
  metrics = new GatewayMetrics();
  // DB mode without Redis: the gateway writes its own logs, as the embedded stack does.
  logs = await createLogSink({
    enabled: true,
    redisUrl: undefined,
    keyPrefix: "unused:",
    db: db.handle,
    replica: "r-test",
    retention: { logRetentionDays: 30, minuteRollupDays: 7 },
    metrics,
    log: pino({ level: "silent" }),
  });
});

afterAll(async () => {
  await logs?.close();
  await db?.close();
});

const storedIds = async () =>
  (await listRequestLogs(db.handle.db, { limit: 100 })).items.map((l) => l.requestId).sort();

describe("in-process request logs (DB mode without Redis, real Postgres)", () => {
  it("a log the database refuses is parked and counted; logging goes on for the rest", async () => {
    const at = Date.now();
    for (let i = 0; i < 3; i++) logs.sink.enqueue(makeLogJob(`a-${i}`, { at }));
    // No contract check on this path: a chain too long for its index reaches Postgres.
    const huge = `groq/${randomBytes(4_000).toString("hex")}`;
    logs.sink.enqueue({ ...makeLogJob("refused", { at }), chain: huge });
    logs.sink.enqueue(makeLogJob("a-3", { at }));
    await logs.sink.flush();
    expect(await storedIds()).toEqual(["a-0", "a-1", "a-2", "a-3"]);
    const parked = await db.handle.db.select().from(requestLogDeadLetters);
    expect(parked.map((p) => [p.requestId, p.sqlState, p.source])).toEqual([
      ["refused", "54000", "gateway:r-test"],
    ]);
    expect((await metrics.requestLogsDeadLettered.get()).values[0]?.value).toBe(1);

    // The refused log is not retried ahead of later ones: they are stored on the next flush.
    logs.sink.enqueue(makeLogJob("b-0", { at }));
    await logs.sink.flush();
    expect(await storedIds()).toEqual(["a-0", "a-1", "a-2", "a-3", "b-0"]);
    expect(logs.sink.stats()).toMatchObject({ buffered: 0, dropped: 0, sent: 6 });
  });
});
