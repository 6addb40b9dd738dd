import { describe, expect, it } from "vitest";
import { keySlot } from "./key-slot";

describe("keySlot", () => {
  it("gives Redis Cluster's slots (values from CLUSTER KEYSLOT)", () => {
    expect(keySlot("123456789")).toBe(12_739);
    expect(keySlot("foo")).toBe(12_182);
    expect(keySlot("")).toBe(0);
  });

  it("hashes only a non-empty hash tag", () => {
    expect(keySlot("a:{user1000}.following")).toBe(keySlot("user1000"));
    expect(keySlot("{user1000}.followers")).toBe(keySlot("user1000"));
    expect(keySlot("foo{}{bar}")).toBe(8_363);
    expect(keySlot("foo{{bar}}zap")).toBe(4_015);
    expect(keySlot("p{é}")).toBe(keySlot("é"));
  });
});
