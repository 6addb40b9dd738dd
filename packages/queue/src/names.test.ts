import { describe, expect, it } from "vitest";
import { bullPrefix } from "./names";

describe("bullPrefix", () => {
  it("drops the trailing ':' (BullMQ adds its own) and keeps one server's keys where they were", () => {
    expect(bullPrefix("429chain:")).toBe("429chain");
    expect(bullPrefix("429chain")).toBe("429chain");
    expect(bullPrefix("429chain:", { cluster: false })).toBe("429chain");
  });

  it("makes the prefix a hash tag on a cluster, so each queue lives in one slot", () => {
    expect(bullPrefix("429chain:", { cluster: true })).toBe("{429chain}");
    expect(bullPrefix("{prod}:429chain:", { cluster: true })).toBe("{prod}:429chain");
    // An empty tag is no tag to Redis Cluster.
    expect(bullPrefix("a{}b:", { cluster: true })).toBe("{a{}b}");
  });
});
