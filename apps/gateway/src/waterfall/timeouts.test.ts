import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { attemptSignal } from "./timeouts";

const limit = { ms: 60_000, reason: () => new Error("slow"), deadlineAt: Date.now() + 120_000 };

describe("attemptSignal", () => {
  it("follows the request's signal after its timer is cleared (a stream being relayed)", () => {
    const request = new AbortController();
    const attempt = attemptSignal(request.signal, limit);
    attempt.clear();
    request.abort(new Error("client gone"));
    expect(attempt.signal.aborted).toBe(true);
  });

  it("leaves no listener on the request's signal once released, however many attempts", () => {
    const request = new AbortController();
    for (let i = 0; i < 50; i++) attemptSignal(request.signal, limit).release();
    expect(getEventListeners(request.signal, "abort")).toHaveLength(0);
  });
});
