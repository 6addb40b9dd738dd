import type { BurnRate, EntryLedger, EntryState, QuotaLedger } from "@429chain/contracts";
import { chainLedger, entryLedger } from "@429chain/quota";
import type { KeyScope } from "../config/key-scope";

const IDLE: BurnRate = { requestsPerMinute: 0, tokensPerMinute: 0 };

/**
 * The quota ledger of a key's chains from the live state of their entries (one read of the
 * shared store): what each window has left, how fast it goes, when it runs out, and per chain
 * what is left now, this minute and today.
 */
export function buildLedger(
  scope: KeyScope,
  states: readonly EntryState[],
  stateStore: QuotaLedger["stateStore"],
  now: number,
): QuotaLedger {
  const byLabel = new Map<string, { ledger: EntryLedger; usable: boolean }>();
  scope.entries.forEach((entry, i) => {
    const state = states[i];
    if (!state) return;
    const ledger = entryLedger(
      {
        label: entry.label,
        state,
        burn: state.burn ?? { entry: IDLE, provider: IDLE },
        usable: !entry.needsKey,
      },
      now,
    );
    byLabel.set(entry.label, { ledger, usable: !entry.needsKey });
  });
  return {
    object: "quota",
    at: now,
    stateStore,
    chains: scope.chains.map((c) =>
      chainLedger(
        { name: c.name, kind: c.kind ?? null, entries: c.entries.map((e) => e.label) },
        byLabel,
        now,
      ),
    ),
    entries: [...byLabel.values()].map((v) => v.ledger),
  };
}
