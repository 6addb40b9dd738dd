import { describe, expect, it } from "vitest";
import { dropIndex, moveEntry } from "./entry-order";

describe("chain entry ordering", () => {
  it("moves an entry up, down and to either end", () => {
    const list = ["a", "b", "c", "d"];
    expect(moveEntry(list, 2, 1)).toEqual(["a", "c", "b", "d"]);
    expect(moveEntry(list, 0, 3)).toEqual(["b", "c", "d", "a"]);
    expect(moveEntry(list, 3, 0)).toEqual(["d", "a", "b", "c"]);
    expect(moveEntry(list, 1, 4)).toEqual(list);
    expect(moveEntry(list, 0, -1)).toEqual(list);
  });

  it("drops a dragged row after every other row whose middle is above the pointer", () => {
    const middles = [20, 60, 100];
    expect(dropIndex(middles, 5)).toBe(0);
    expect(dropIndex(middles, 61)).toBe(2);
    expect(dropIndex(middles, 500)).toBe(3);
  });
});
