import type { EntryState, QuotaLedger } from "@429chain/contracts";
import { buildLedger } from "@429chain/quota";
import type { KeyScope } from "../config/key-scope";

/** The ledger of a key's chains; `states` are its entries' states, in scope.entries order. */
export function ledgerOfScope(
  scope: KeyScope,
  states: readonly EntryState[],
  stateStore: QuotaLedger["stateStore"],
  now: number,
): QuotaLedger {
  return buildLedger({
    chains: scope.chains.map((c) => ({
      name: c.name,
      kind: c.kind ?? null,
      entries: c.entries.map((e) => e.label),
    })),
    entries: scope.entries.flatMap((e, i) => {
      const state = states[i];
      return state ? [{ label: e.label, state, usable: !e.needsKey }] : [];
    }),
    stateStore,
    now,
  });
}
