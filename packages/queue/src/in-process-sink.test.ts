import { makeLogJob } from "@429chain/testing";
import { describe, expect, it } from "vitest";
import { createInProcessSink } from "./in-process-sink";

describe("createInProcessSink", () => {
  it("calls the processor with batches of at most maxBatch, in order", async () => {
    const batches: string[][] = [];
    const sink = createInProcessSink({
      process: async (jobs) => void batches.push(jobs.map((j) => j.requestId)),
      maxBatch: 3,
      flushMs: 60_000,
    });
    for (let i = 0; i < 7; i++) sink.enqueue(makeLogJob(`r${i}`));
    await sink.flush();
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(batches.flat()).toEqual(["r0", "r1", "r2", "r3", "r4", "r5", "r6"]);
    expect(sink.stats()).toEqual({ buffered: 0, dropped: 0, sent: 7 });
  });

  it("keeps jobs when the processor fails (database down) and delivers them on flush", async () => {
    let dbUp = false;
    const processed: string[] = [];
    const sink = createInProcessSink({
      process: async (jobs) => {
        if (!dbUp) throw new Error("connection refused");
        processed.push(...jobs.map((j) => j.requestId));
      },
      flushMs: 60_000,
    });
    sink.enqueue(makeLogJob("a"));
    await expect(sink.flush()).rejects.toThrow("connection refused");
    dbUp = true;
    await sink.close();
    expect(processed).toEqual(["a"]);
  });
});
