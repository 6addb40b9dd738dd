import { GatewayError } from "../errors";
import type { ClientKeyInfo, CompiledChain, CompiledEntry, ConfigSnapshot } from "./snapshot";

/** What one client key may see and use: its chains and the entries of those chains. */
export interface KeyScope {
  chains: CompiledChain[];
  /** Distinct entries of those chains, in first-seen order. */
  entries: CompiledEntry[];
}

/** A key limited to some chains sees only them; an unrestricted key sees the whole config. */
export function keyScopeOf(snapshot: ConfigSnapshot, key: ClientKeyInfo | undefined): KeyScope {
  const allowed = key?.allowedChains;
  if (!allowed) return { chains: [...snapshot.chains.values()], entries: [...snapshot.entries] };
  const chains = allowed.flatMap((name) => snapshot.chains.get(name) ?? []);
  const entries = new Map<string, CompiledEntry>();
  for (const chain of chains) for (const e of chain.entries) entries.set(e.label, e);
  return { chains, entries: [...entries.values()] };
}

/** A key limited to some chains may not use another (nor a direct entry outside them). */
export function checkChainAllowed(key: ClientKeyInfo | undefined, target: string): void {
  const allowed = key?.allowedChains;
  if (allowed && !allowed.includes(target)) {
    throw new GatewayError(
      "chain_not_allowed",
      `This API key may not use '${target}'. Allowed: ${allowed.join(", ") || "none"}.`,
      { param: "model" },
    );
  }
}
