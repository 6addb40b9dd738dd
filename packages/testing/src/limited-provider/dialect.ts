import type { FakeHeaders, FakeResponse } from "../fake-upstream/types";
import type { WindowState } from "./limit-ledger";

export interface DialectContext {
  now: number;
  /** Upstream model name from the request. */
  model: string;
  /** Every window at `now`: after charging on a 200, before (nothing charged) on a 429. */
  windows: WindowState[];
  /** Tokens the refused request asked for (what the provider checked). */
  requestedTokens: number;
}

/** How one provider reports its limits: headers on a 200, and the shape of its 429. */
export interface Dialect {
  okHeaders(ctx: DialectContext): FakeHeaders;
  /** `violated` lists the refusing windows, day windows first. */
  rateLimited(ctx: DialectContext, violated: readonly WindowState[]): FakeResponse;
}

/** The window a provider names in its 429: a day window before a minute one. */
export function primaryViolation(violated: readonly WindowState[]): WindowState {
  const first = violated[0];
  if (!first) throw new Error("rateLimited() needs at least one violated window");
  return first;
}

export function findWindow(
  windows: readonly WindowState[],
  name: WindowState["name"],
): WindowState | undefined {
  return windows.find((w) => w.name === name);
}
