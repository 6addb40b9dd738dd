import type { LiveEntry, LiveState } from "../../server/observe/live-state";

/** The view's state after an `update` event: changed entries replaced by label. */
export function applyUpdate(
  state: LiveState | null,
  update: { at: number; entries: LiveEntry[] },
): LiveState | null {
  if (state?.kind !== "ok") return state;
  const changed = new Map(update.entries.map((e) => [e.label, e]));
  return {
    ...state,
    at: update.at,
    entries: state.entries.map((e) => changed.get(e.label) ?? e),
  };
}
