import type { RequestLogJob } from "@429chain/contracts";
import { createTestRedis, makeLogJob, TEST_REDIS_URL, type TestRedis } from "@429chain/testing";
import { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBatchedProducer, type RequestLogQueue, sendToQueue } from "./batched-producer";
import { REQUEST_LOGS_QUEUE, requestLogJobId } from "./names";

let t: TestRedis;
const opened: RequestLogQueue[] = [];
let n = 0;

/** A queue per test under this file's prefix (BullMQ appends ":" itself). */
function openQueue(connection: { url: string } | { host: string; port: number }) {
  n += 1;
  const queue: RequestLogQueue = new Queue<RequestLogJob>(REQUEST_LOGS_QUEUE, {
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
  it("writes enqueued jobs to the queue with addBulk in batches of maxBatch", async () => {
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
    expect((await queue.getJobCounts("waiting")).waiting).toBe(12);
    const job = await queue.getJob(requestLogJobId("req-3"));
    expect(job?.data).toEqual(makeLogJob("req-3"));
    expect(job?.opts.attempts).toBeGreaterThan(1);
    await producer.close();
  });

  it("deduplicates the same requestId, within a batch and across batches", async () => {
    const queue = openQueue({ url: TEST_REDIS_URL });
    const producer = createBatchedProducer({ queue, flushMs: 60_000 });
    producer.enqueue(makeLogJob("dup:1"));
    producer.enqueue(makeLogJob("dup:1"));
    await producer.flush();
    producer.enqueue(makeLogJob("dup:1"));
    await producer.close();
    expect((await queue.getJobCounts("waiting")).waiting).toBe(1);
    expect((await queue.getJob(requestLogJobId("dup:1")))?.data.requestId).toBe("dup:1");
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
    expect((await live.getJobCounts("waiting")).waiting).toBe(20);
  });

  it("close() flushes a partial batch before returning", async () => {
    const queue = openQueue({ url: TEST_REDIS_URL });
    const producer = createBatchedProducer({ queue, flushMs: 60_000 });
    for (let i = 0; i < 3; i++) producer.enqueue(makeLogJob(`close-${i}`));
    await producer.close();
    expect((await queue.getJobCounts("waiting")).waiting).toBe(3);
  });
});
