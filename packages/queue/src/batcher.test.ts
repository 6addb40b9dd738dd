import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Batcher, createBatcher } from "./batcher";

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

/** close() retries with backoff until its deadline, so fake time has to run past it. */
async function closeGivingUp(b: Batcher<number>) {
  const closing = b.close();
  await vi.advanceTimersByTimeAsync(10_000);
  await closing;
}

describe("createBatcher", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends a partial batch after flushMs, not before", async () => {
    const batches: number[][] = [];
    const b = createBatcher<number>({ send: async (xs) => void batches.push(xs), flushMs: 50 });
    b.enqueue(1);
    b.enqueue(2);
    await vi.advanceTimersByTimeAsync(49);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[1, 2]]);
    expect(b.stats()).toEqual({ buffered: 0, dropped: 0, sent: 2 });
  });

  it("sends as soon as maxBatch is reached and never sends more than maxBatch", async () => {
    const batches: number[][] = [];
    const b = createBatcher<number>({ send: async (xs) => void batches.push(xs), maxBatch: 3 });
    for (const x of range(7)) b.enqueue(x);
    await vi.advanceTimersByTimeAsync(0);
    expect(batches[0]).toEqual([0, 1, 2]);
    expect(batches.every((batch) => batch.length <= 3)).toBe(true);
    await b.flush();
    expect(batches.flat()).toEqual(range(7));
  });

  it("enqueue never throws, even when send throws synchronously", async () => {
    const onError = vi.fn();
    const b = createBatcher<number>({
      send: () => {
        throw new Error("boom");
      },
      maxBatch: 1,
      onError,
    });
    expect(() => b.enqueue(1)).not.toThrow();
    await vi.advanceTimersByTimeAsync(0);
    expect(onError).toHaveBeenCalled();
    expect(b.stats().buffered).toBe(1);
    await closeGivingUp(b);
  });

  it("keeps failed batches, retries with backoff, and sends everything once send recovers", async () => {
    let failuresLeft = 3;
    const delivered: number[] = [];
    const send = vi.fn(async (xs: number[]) => {
      if (failuresLeft-- > 0) throw new Error("redis down");
      delivered.push(...xs);
    });
    const b = createBatcher<number>({ send, maxBatch: 2, retryBaseMs: 100, retryMaxMs: 1_000 });
    for (const x of range(5)) b.enqueue(x);
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledTimes(1);
    // Backoff 100 ms then 200 ms: no hammering in between.
    await vi.advanceTimersByTimeAsync(99);
    expect(send).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(send).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(send).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(400);
    expect(delivered).toEqual(range(5));
    expect(b.stats()).toEqual({ buffered: 0, dropped: 0, sent: 5 });
  });

  it("bounds memory while send fails: drops the oldest waiting items and counts them", async () => {
    let up = false;
    const delivered: number[] = [];
    const onDrop = vi.fn();
    const b = createBatcher<number>({
      send: async (xs) => {
        if (!up) throw new Error("redis down");
        delivered.push(...xs);
      },
      maxBatch: 10,
      maxBuffer: 50,
      onDrop,
    });
    for (const x of range(200)) b.enqueue(x);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(b.stats()).toEqual({ buffered: 50, dropped: 150, sent: 0 });
    expect(onDrop.mock.calls.reduce((n, [c]) => n + c, 0)).toBe(150);
    up = true;
    await b.flush();
    // The first batch was already in flight when the flood came, so it was kept; after it,
    // the newest 40 survive.
    expect(delivered).toEqual([...range(10), ...range(40, 160)]);
    expect(b.stats()).toEqual({ buffered: 0, dropped: 150, sent: 50 });
  });

  it("treats a send that never settles as failed (timeout) and retries it", async () => {
    let hang = true;
    const delivered: number[] = [];
    const b = createBatcher<number>({
      send: (xs) => (hang ? new Promise(() => {}) : Promise.resolve(void delivered.push(...xs))),
      flushMs: 50,
      sendTimeoutMs: 1_000,
      onError: () => {},
    });
    b.enqueue(1);
    await vi.advanceTimersByTimeAsync(50 + 999);
    expect(b.stats().buffered).toBe(1);
    hang = false;
    await vi.advanceTimersByTimeAsync(1 + 100);
    expect(delivered).toEqual([1]);
  });

  it("flush rejects when a send fails and keeps the items", async () => {
    const b = createBatcher<number>({ send: () => Promise.reject(new Error("down")) });
    b.enqueue(1);
    await expect(b.flush()).rejects.toThrow("down");
    expect(b.stats().buffered).toBe(1);
    await closeGivingUp(b);
  });

  it("close flushes what is buffered, then drops later enqueues", async () => {
    const delivered: number[] = [];
    const b = createBatcher<number>({
      send: async (xs) => void delivered.push(...xs),
      flushMs: 10_000,
    });
    b.enqueue(1);
    b.enqueue(2);
    await b.close();
    expect(delivered).toEqual([1, 2]);
    b.enqueue(3);
    expect(b.stats()).toEqual({ buffered: 0, dropped: 1, sent: 2 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("close gives up after closeTimeoutMs, counts what is left as dropped and stops timers", async () => {
    const send = vi.fn(() => Promise.reject(new Error("down")));
    const b = createBatcher<number>({ send, closeTimeoutMs: 1_000, onError: () => {} });
    b.enqueue(1);
    const closing = b.close();
    await vi.advanceTimersByTimeAsync(1_000);
    await closing;
    expect(b.stats()).toEqual({ buffered: 0, dropped: 1, sent: 0 });
    const calls = send.mock.calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(send.mock.calls.length).toBeLessThanOrEqual(calls + 1);
  });
});
