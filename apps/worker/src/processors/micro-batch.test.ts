import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMicroBatch } from "./micro-batch";

describe("createMicroBatch", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs a partial batch after flushMs, not before, and resolves every item with its result", async () => {
    const run = vi.fn(async (xs: number[]) => xs.length);
    const b = createMicroBatch({ maxSize: 10, flushMs: 20, run });
    const results = [b.add(1), b.add(2), b.add(3)];
    await vi.advanceTimersByTimeAsync(19);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledWith([1, 2, 3]);
    expect(await Promise.all(results)).toEqual([3, 3, 3]);
  });

  it("runs as soon as maxSize items wait", async () => {
    const batches: number[][] = [];
    const b = createMicroBatch({
      maxSize: 2,
      flushMs: 60_000,
      run: async (xs: number[]) => void batches.push(xs),
    });
    const all = [b.add(1), b.add(2), b.add(3)];
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[1, 2]]);
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(all);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it("weighs items with sizeOf: flushes once the waiting weight reaches maxSize", async () => {
    const batches: number[][] = [];
    const b = createMicroBatch({
      maxSize: 10,
      flushMs: 60_000,
      sizeOf: (n: number) => n,
      run: async (xs: number[]) => void batches.push(xs),
    });
    const all = [b.add(4), b.add(5), b.add(1), b.add(7)];
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[4, 5, 1]]);
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(all);
    expect(batches).toEqual([[4, 5, 1], [7]]);
  });

  it("rejects every item of a failed batch, and only that batch", async () => {
    let fail = true;
    const b = createMicroBatch({
      maxSize: 2,
      flushMs: 5,
      run: (xs: number[]) => {
        if (fail) throw new Error("db down");
        return Promise.resolve(xs.length);
      },
    });
    const first = [b.add(1), b.add(2)].map((p) => p.catch((e: Error) => e.message));
    await vi.advanceTimersByTimeAsync(0);
    fail = false;
    const second = b.add(3);
    await vi.advanceTimersByTimeAsync(5);
    expect(await Promise.all(first)).toEqual(["db down", "db down"]);
    expect(await second).toBe(1);
  });
});
