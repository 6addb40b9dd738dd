import {
  ClearCooldownRequestSchema,
  type ControlEntry,
  type ControlEntryStates,
  type QuotaLedger,
} from "@429chain/contracts";
import type { QuotaStore } from "@429chain/quota";
import type { FastifyInstance } from "fastify";
import type { ConfigSource } from "../config/config-source";
import type { CompiledEntry, ConfigSnapshot } from "../config/snapshot";
import { GatewayError } from "../errors";
import type { LedgerView } from "../ledger/ledger-view";
import { tokenMatches } from "./metrics";

export interface ControlRouteOptions {
  config: ConfigSource;
  quota: QuotaStore;
  ledger: LedgerView;
  /** CONTROL_TOKEN: every request must carry `Authorization: Bearer <token>`. */
  token: string;
}

/** Each entry's chains, in config order. */
function chainsByLabel(snapshot: ConfigSnapshot): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const chain of snapshot.chains.values()) {
    for (const e of chain.entries) {
      const names = out.get(e.label) ?? [];
      if (!names.includes(chain.name)) names.push(chain.name);
      out.set(e.label, names);
    }
  }
  return out;
}

async function statesOf(
  snapshot: ConfigSnapshot,
  quota: QuotaStore,
  entries: readonly CompiledEntry[],
): Promise<ControlEntry[]> {
  const states = await quota.entryStates(entries.map((e) => e.policy));
  const chains = chainsByLabel(snapshot);
  return states.map((s, i) => {
    const label = entries[i]!.label;
    return { ...s, label, chains: chains.get(label) ?? [] };
  });
}

/**
 * The control API, for the admin of a gateway that keeps its quota state in memory (the
 * quickstart): live entry states, the whole quota ledger, and clearing a cooldown. Registered
 * only when CONTROL_TOKEN is set, on METRICS_PORT when that is set (else on PORT).
 */
export async function controlRoutes(app: FastifyInstance, opts: ControlRouteOptions) {
  app.addHook("onRequest", async (request) => {
    if (!tokenMatches(request.headers.authorization, opts.token)) {
      throw new GatewayError(
        "invalid_api_key",
        "The control API needs 'Authorization: Bearer <CONTROL_TOKEN>'.",
      );
    }
  });

  app.get("/control/entry-states", async (): Promise<ControlEntryStates> => {
    const snapshot = opts.config.current();
    return {
      object: "list",
      at: Date.now(),
      configVersion: snapshot.version,
      stateStore: opts.quota.health(),
      data: await statesOf(snapshot, opts.quota, snapshot.entries),
    };
  });

  app.get("/control/quota", async (): Promise<QuotaLedger> => {
    const snapshot = opts.config.current();
    return opts.ledger.forScope({
      chains: [...snapshot.chains.values()],
      entries: [...snapshot.entries],
    });
  });

  app.post("/control/clear-cooldown", async (request) => {
    const parsed = ClearCooldownRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      throw new GatewayError(
        "invalid_request",
        "The body must be {provider, model?}: a provider id, and optionally one of its models.",
      );
    }
    const { provider, model } = parsed.data;
    const snapshot = opts.config.current();
    const entries = snapshot.entries.filter(
      (e) => e.provider.id === provider && (model === undefined || e.model === model),
    );
    if (entries.length === 0) {
      const what = model === undefined ? `provider ${provider}` : `entry ${provider}/${model}`;
      throw new GatewayError("not_found", `No chain of this gateway uses the ${what}.`);
    }
    for (const e of entries) await opts.quota.clearCooldown(e.policy);
    return { object: "list", data: await statesOf(snapshot, opts.quota, entries) };
  });
}
