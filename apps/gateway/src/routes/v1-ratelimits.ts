import type { EntryState } from "@429chain/contracts";
import type { QuotaStore } from "@429chain/quota";
import type { FastifyInstance, onRequestAsyncHookHandler } from "fastify";
import type { ConfigSource } from "../config/config-source";
import { keyScopeOf } from "../config/key-scope";

/** Live state of the entries the key may use, and the entry each of its chains tries first. */
export async function rateLimitsRoute(
  app: FastifyInstance,
  opts: { config: ConfigSource; quota: QuotaStore; requireApiKey: onRequestAsyncHookHandler },
) {
  app.get("/v1/ratelimits", { onRequest: opts.requireApiKey }, async (request) => {
    const scope = keyScopeOf(opts.config.current(), request.clientKey);
    const states = await opts.quota.entryStates(scope.entries.map((e) => e.policy));
    const byLabel = new Map<string, EntryState>(states.map((s) => [`${s.provider}/${s.model}`, s]));
    const chains = scope.chains.map((c) => {
      const active = c.entries.find((e) => {
        const status = byLabel.get(e.label)?.status;
        return status === "available" || status === "tracking";
      });
      return {
        name: c.name,
        activeEntry: active?.label ?? null,
        entries: c.entries.map((e) => e.label),
      };
    });
    return { object: "list", stateStore: opts.quota.health(), data: states, chains };
  });
}
