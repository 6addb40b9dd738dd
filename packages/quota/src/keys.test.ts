import { keySlot } from "@429chain/redis";
import { describe, expect, it } from "vitest";
import { createQuotaKeys, entryScopeId, providerScopeId } from "./keys";

/** Every key the stores build for two entries of `provider`. */
function keysOfProvider(prefix: string, provider: string): string[] {
  const k = createQuotaKeys(prefix);
  const ids = [
    providerScopeId(provider),
    entryScopeId(provider, "org/model:free"),
    entryScopeId(provider, "{other}"),
  ];
  return ids.flatMap((id) => [
    k.cooldown(id),
    k.streak(id),
    k.circuit(id),
    k.probe(id),
    k.headerWindows(id),
    k.headerReservations(id),
    k.manualBucket(id, "requestsPerMinute", 12),
    k.inFlight(id),
  ]);
}

describe("quota keys", () => {
  it("put every key of one provider in one cluster slot, whatever the prefix", () => {
    for (const prefix of ["429chain:", "", "a{b:", "x}{:", "team/{prod}:"]) {
      for (const provider of ["groq", "my:provider/{x}"]) {
        const slots = new Set(keysOfProvider(prefix, provider).map(keySlot));
        expect(slots.size, `${prefix} ${provider}`).toBe(1);
      }
    }
  });

  it("spread providers over slots", () => {
    const slots = new Set(
      ["groq", "openai", "mistral", "gemini"].map((p) =>
        keySlot(keysOfProvider("429chain:", p)[0]!),
      ),
    );
    expect(slots.size).toBe(4);
  });

  it("tag one client key's counters together", () => {
    const k = createQuotaKeys("429chain:");
    const slots = new Set(
      (["rpm", "day", "month"] as const).map((kind) =>
        keySlot(k.clientKeyBucket("key{1}", kind, "p")),
      ),
    );
    expect(slots.size).toBe(1);
    expect(k.clientKeyBucket("key{1}", "day", "2026-01-01")).toBe(
      "429chain:{ck:key%7B1%7D}:day:2026-01-01",
    );
  });
});
