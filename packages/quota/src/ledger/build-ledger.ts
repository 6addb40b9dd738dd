import type { BurnRate, EntryLedger, EntryState, QuotaLedger } from "@429chain/contracts";
import { chainLedger, entryLedger, type LedgerChainInput } from "./ledger";

const IDLE: BurnRate = { requestsPerMinute: 0, tokensPerMinute: 0 };

export interface LedgerInput {
  chains: readonly LedgerChainInput[];
  /** Each distinct entry of those chains with its live state (from entryStates). */
  entries: readonly { label: string; state: EntryState; usable: boolean }[];
  stateStore: QuotaLedger["stateStore"];
  now: number;
}

/**
 * The quota ledger of some chains from the live state of their entries: what each window has
 * left, how fast it goes, when it runs out, and per chain what is left now, this minute and
 * today. The gateway (GET /v1/quota) and the admin (Quota page) both build it here.
 */
export function buildLedger(input: LedgerInput): QuotaLedger {
  const { now } = input;
  const byLabel = new Map<string, { ledger: EntryLedger; usable: boolean }>();
  for (const { label, state, usable } of input.entries) {
    const burn = state.burn ?? { entry: IDLE, provider: IDLE };
    byLabel.set(label, { ledger: entryLedger({ label, state, burn, usable }, now), usable });
  }
  return {
    object: "quota",
    at: now,
    stateStore: input.stateStore,
    chains: input.chains.map((c) => chainLedger(c, byLabel, now)),
    entries: [...byLabel.values()].map((v) => v.ledger),
  };
}
