import type { EntryPolicy } from "./types";

/** Consecutive chain entries of one provider, from index `start` of the chain. */
export interface ProviderRun {
  start: number;
  entries: EntryPolicy[];
}

/**
 * Splits a chain into runs of consecutive entries of one provider. All of a provider's keys
 * share one hash tag (see keys.ts), so each run is one script on one cluster slot.
 */
export function providerRuns(entries: readonly EntryPolicy[]): ProviderRun[] {
  const runs: ProviderRun[] = [];
  entries.forEach((entry, index) => {
    const last = runs.at(-1);
    if (last && last.entries[0]?.provider === entry.provider) last.entries.push(entry);
    else runs.push({ start: index, entries: [entry] });
  });
  return runs;
}
