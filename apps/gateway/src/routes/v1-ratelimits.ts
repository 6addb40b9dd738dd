import type { EntryState } from "@429chain/contracts";
import type { QuotaStore } from "@429chain/quota";
import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import type { ConfigSource } from "../config/config-source";

/** Live state of every entry, and the entry each chain would try first right now. */
export async function rateLimitsRoute(
  app: FastifyInstance,
  opts: { config: ConfigSource; quota: QuotaStore; requireApiKey: preHandlerAsyncHookHandler },
) {
  app.get("/v1/ratelimits", { preHandler: opts.requireApiKey }, async () => {
    const snapshot = opts.config.current();
    const states = await opts.quota.entryStates(snapshot.entries.map((e) => e.policy));
    const byLabel = new Map<string, EntryState>(states.map((s) => [`${s.provider}/${s.model}`, s]));
    const chains = [...snapshot.chains.values()].map((c) => {
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
