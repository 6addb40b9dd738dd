import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import type { ConfigSource } from "../config/config-source";

/** Every chain (id = chain name) and every `provider-id/model` used by a chain. */
export async function modelsRoute(
  app: FastifyInstance,
  opts: { config: ConfigSource; requireApiKey: preHandlerAsyncHookHandler },
) {
  app.get("/v1/models", { preHandler: opts.requireApiKey }, async () => {
    const snapshot = opts.config.current();
    const created = 0;
    const chains = [...snapshot.chains.values()].map((c) => ({
      id: c.name,
      object: "model" as const,
      created,
      owned_by: "429chain",
      entries: c.entries.map((e) => e.label),
    }));
    const entries = snapshot.entries.map((e) => ({
      id: e.label,
      object: "model" as const,
      created,
      owned_by: e.provider.id,
    }));
    return { object: "list", data: [...chains, ...entries] };
  });
}
