import type { FastifyInstance, onRequestAsyncHookHandler } from "fastify";
import type { ConfigSource } from "../config/config-source";
import { keyScopeOf } from "../config/key-scope";

/** The chains (id = chain name) the key may use, and every `provider-id/model` in them. */
export async function modelsRoute(
  app: FastifyInstance,
  opts: { config: ConfigSource; requireApiKey: onRequestAsyncHookHandler },
) {
  app.get("/v1/models", { onRequest: opts.requireApiKey }, async (request) => {
    const scope = keyScopeOf(opts.config.current(), request.clientKey);
    const created = 0;
    const chains = scope.chains.map((c) => ({
      id: c.name,
      object: "model" as const,
      created,
      owned_by: "429chain",
      entries: c.entries.map((e) => e.label),
    }));
    const entries = scope.entries.map((e) => ({
      id: e.label,
      object: "model" as const,
      created,
      owned_by: e.provider.id,
    }));
    return { object: "list", data: [...chains, ...entries] };
  });
}
