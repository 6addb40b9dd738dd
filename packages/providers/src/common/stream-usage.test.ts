import { describe, expect, it } from "vitest";
import { mergeStreamUsage } from "./stream-usage";

describe("mergeStreamUsage", () => {
  it("takes a complete chat usage as reported", () => {
    expect(
      mergeStreamUsage(undefined, { promptTokens: 3, completionTokens: 4, totalTokens: 9 }),
    ).toEqual({
      promptTokens: 3,
      completionTokens: 4,
      totalTokens: 9,
      estimated: false,
    });
  });

  it("fills partial usages in, a later value replacing an earlier one", () => {
    const start = mergeStreamUsage(undefined, { promptTokens: 10 });
    expect(start).toEqual({
      promptTokens: 10,
      completionTokens: 0,
      totalTokens: 10,
      estimated: false,
    });
    const delta = mergeStreamUsage(start, { completionTokens: 5 });
    const last = mergeStreamUsage(delta, { completionTokens: 8 });
    expect(last).toEqual({
      promptTokens: 10,
      completionTokens: 8,
      totalTokens: 18,
      estimated: false,
    });
  });
});
