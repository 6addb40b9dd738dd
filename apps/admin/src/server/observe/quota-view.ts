import type { ChainLedger, QuotaLedger } from "@429chain/contracts";
import { buildLedger, type QueueStats, type QuotaStateReader } from "@429chain/quota";
import { publicCause } from "../../lib/errors";
import type { GatewayControl } from "./gateway-control";
import type { LiveStateReader } from "./live-state";

/** What the Quota page shows: the ledger of every chain, or why there is none. */
export type QuotaView =
  | { kind: "ok"; ledger: QuotaLedger }
  /** The database holds no config yet. */
  | { kind: "no_config"; at: number }
  | { kind: "error"; at: number; message: string };

export type QuotaViewReader = () => Promise<QuotaView>;

/**
 * The ledger from Redis: the config's chains and entries (as the live view reads them) and
 * the gateways' shared state, built by the same builder as the gateway's GET /v1/quota.
 */
export function redisQuotaView(deps: {
  live: LiveStateReader;
  quota: QuotaStateReader;
  /** A chain's fair queue (queue mode), as the gateways share it in Redis. */
  queueOf?: (chain: string) => Promise<QueueStats>;
  now?: () => number;
}): QuotaViewReader {
  const now = deps.now ?? Date.now;
  return async () => {
    try {
      const config = await deps.live.config();
      if (config === null) return { kind: "no_config", at: now() };
      const states = await deps.quota.entryStates(config.entries.map((e) => e.policy));
      const ledger = buildLedger({
        chains: config.chains,
        // The admin never decrypts keys, so an entry whose key is a placeholder counts as
        // usable here (the gateway's own ledger knows better).
        entries: config.entries.map((e, i) => ({
          label: e.label,
          state: states[i]!,
          usable: true,
        })),
        stateStore: "ok",
        now: now(),
      });
      const queueOf = deps.queueOf;
      if (!queueOf) return { kind: "ok", ledger };
      const at = now();
      const chains = await Promise.all(
        ledger.chains.map(async (chain): Promise<ChainLedger> => {
          const stats = await queueOf(chain.name);
          if (stats.depth === 0) return chain;
          const oldestWaitMs = stats.oldestAt === null ? 0 : Math.max(0, at - stats.oldestAt);
          return { ...chain, queue: { depth: stats.depth, oldestWaitMs } };
        }),
      );
      return { kind: "ok", ledger: { ...ledger, chains } };
    } catch (err) {
      return { kind: "error", at: now(), message: `cannot read the quota: ${publicCause(err)}` };
    }
  };
}

/** The ledger as a gateway without Redis holds it, from its control API. */
export function controlQuotaView(control: GatewayControl): QuotaViewReader {
  return async () => {
    try {
      return { kind: "ok", ledger: await control.quota() };
    } catch (err) {
      return {
        kind: "error",
        at: Date.now(),
        message: `cannot read the gateway's control API: ${publicCause(err)}`,
      };
    }
  };
}

/** Quota stream events: the whole view each time it changes (it is small). */
export function nextQuotaEvent(
  previous: QuotaView | null,
  current: QuotaView,
): { event: "snapshot"; data: QuotaView } | null {
  if (previous !== null && sameView(previous, current)) return null;
  return { event: "snapshot", data: current };
}

/** Equal but for the time it was read. */
function sameView(a: QuotaView, b: QuotaView): boolean {
  const strip = (v: QuotaView) =>
    v.kind === "ok" ? { ...v, ledger: { ...v.ledger, at: 0 } } : { ...v, at: 0 };
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
