import type { RequestLogBatch } from "@429chain/contracts";
import { createTestRedis, makeLogJob, TEST_REDIS_URL, type TestRedis } from "@429chain/testing";
import { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBatchedProducer, type RequestLogQueue, sendToQueue } from "./batched-producer";
import { REQUEST_LOGS_QUEUE, requestLogBatchJobId } from "./names";

let t: TestRedis;
const opened: RequestLogQueue[] = [];
let n = 0;

/** A queue per test under this file's prefix (BullMQ appends ":" itself). */
function openQueue(connection: { url: string } | { host: string; port: number }) {
  n += 1;
  const queue: RequestLogQueue = new Queue<RequestLogBatch>(REQUEST_LOGS_QUEUE, {
    connection: { ...connection, maxRetriesPerRequest: 1 },
    prefix: `${t.prefix}${n}`,
  });
  // Connection errors are expected in the outage test; without a listener they would throw.
  queue.on("error", () => {});
  opened.push(queue);
  return queue;
}

beforeAll(async () => {
  t = await createTestRedis("queue");
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((q) => q.close()));
});
afterAll(async () => {
  await t.cleanup();
});

describe("createBatchedProducer (real Redis)", () => {
  /** Request ids of every log in the queue's jobs of `state`. */
  async function queuedIds(queue: RequestLogQueue, state: "waiting" = "waiting") {
    const jobs = await queue.getJobs([state]);
    return jobs.flatMap((j) => j.data.logs.map((l) => l.requestId)).sort();
  }

  it("writes one queue job per batch of at most maxBatch logs", async () => {
    const queue = openQueue({ url: TEST_REDIS_URL });
    const sizes: number[] = [];
    const toQueue = sendToQueue(queue);
    const producer = createBatchedProducer({
      send: async (jobs) => {
        sizes.push(jobs.length);
        await toQueue(jobs);
      },
      maxBatch: 5,
      flushMs: 60_000,
    });
    for (let i = 0; i < 12; i++) producer.enqueue(makeLogJob(`req-${i}`));
    await producer.flush();
    expect(sizes.every((s) => s <= 5)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(12);
    expect((await queue.getJobCounts("waiting")).waiting).toBe(sizes.length);
    expect(await queuedIds(queue)).toEqual(Array.from({ length: 12 }, (_, i) => `req-${i}`).sort());
    const first = Array.from({ length: sizes[0] ?? 0 }, (_, i) => makeLogJob(`req-${i}`));
    const job = await queue.getJob(requestLogBatchJobId(first));
    expect(job?.data).toEqual({ v: 1, logs: first });
    expect(job?.opts.attempts).toBeGreaterThan(1);
    await producer.close();
  });

  it("a batch sent again (its first add landed, the reply was lost) is one queue job", async () => {
    const queue = openQueue({ url: TEST_REDIS_URL });
    const logs = [makeLogJob("dup:1"), makeLogJob("dup%2")];
    await sendToQueue(queue)(logs);
    await sendToQueue(queue)(logs);
    expect((await queue.getJobCounts("waiting")).waiting).toBe(1);
    expect((await queue.getJob(requestLogBatchJobId(logs)))?.data.logs).toEqual(logs);
    expect(requestLogBatchJobId(logs)).toBe("logs-dup%3A1-2");
  });

  it("survives Redis being unreachable: bounded buffer, drops counted, all kept jobs sent later", async () => {
    const dead = openQueue({ host: "127.0.0.1", port: 1 });
    const live = openQueue({ url: TEST_REDIS_URL });
    let target = dead;
    let failed!: () => void;
    const firstFailure = new Promise<void>((resolve) => {
      failed = resolve;
    });
    let drops = 0;
    const producer = createBatchedProducer({
      send: (jobs) => sendToQueue(target)(jobs),
      maxBatch: 5,
      maxBuffer: 20,
      sendTimeoutMs: 300,
      retryBaseMs: 60_000,
      onError: () => failed(),
      onDrop: (count) => {
        drops += count;
      },
    });
    for (let i = 0; i < 50; i++)
      expect(() => producer.enqueue(makeLogJob(`out-${i}`))).not.toThrow();
    expect(producer.stats()).toEqual({ buffered: 20, dropped: 30, sent: 0 });
    expect(drops).toBe(30);
    await firstFailure;
    expect(producer.stats().buffered).toBe(20);

    target = live;
    await producer.close();
    expect(producer.stats()).toEqual({ buffered: 0, dropped: 30, sent: 20 });
    const kept = await queuedIds(live);
    expect(new Set(kept).size).toBe(20);
    // Overflow drops the oldest waiting log, so the newest is always kept.
    expect(kept).toContain("out-49");
  });

  it("close() flushes a partial batch before returning", async () => {
    const queue = openQueue({ url: TEST_REDIS_URL });
    const producer = createBatchedProducer({ queue, flushMs: 60_000 });
    for (let i = 0; i < 3; i++) producer.enqueue(makeLogJob(`close-${i}`));
    await producer.close();
    expect(await queuedIds(queue)).toEqual(["close-0", "close-1", "close-2"]);
  });
});
