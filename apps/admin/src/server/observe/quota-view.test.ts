import type { QuotaLedger } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { nextQuotaEvent, type QuotaView } from "./quota-view";

const ledger = (at: number, activeEntry: string | null): QuotaView => ({
  kind: "ok",
  ledger: {
    object: "quota",
    at,
    stateStore: "ok",
    chains: [
      {
        name: "c",
        kind: "chat",
        entries: ["a/m"],
        activeEntry,
        capacity: {
          requests: { now: null, minute: null, day: null },
          tokens: { now: null, minute: null, day: null },
        },
        burn: { requestsPerMinute: 0, tokensPerMinute: 0 },
        resets: [],
        exhaustedAt: null,
        availableAt: null,
      },
    ],
    entries: [],
  } satisfies QuotaLedger,
});

describe("quota stream events", () => {
  it("sends the first view, then only a view that changed beyond its read time", () => {
    const first = ledger(1, "a/m");
    expect(nextQuotaEvent(null, first)).toEqual({ event: "snapshot", data: first });
    expect(nextQuotaEvent(first, ledger(2, "a/m"))).toBeNull();
    expect(nextQuotaEvent(first, ledger(3, null))?.event).toBe("snapshot");
    const error: QuotaView = { kind: "error", at: 4, message: "down" };
    expect(nextQuotaEvent(first, error)).toEqual({ event: "snapshot", data: error });
    expect(nextQuotaEvent(error, { ...error, at: 5 })).toBeNull();
  });
});
