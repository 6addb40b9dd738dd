import type { FastifyInstance, onRequestAsyncHookHandler } from "fastify";
import type { ConfigSource } from "../config/config-source";
import { keyScopeOf } from "../config/key-scope";

const EPOCH = "1970-01-01T00:00:00Z";

/**
 * The chains (id = chain name) the key may use, and every `provider-id/model` in them. A
 * request carrying `anthropic-version` (Anthropic's SDKs, Claude Code) gets Anthropic's shape,
 * with the exact `modelAliases` that lead to those chains too.
 */
export async function modelsRoute(
  app: FastifyInstance,
  opts: { config: ConfigSource; requireApiKey: onRequestAsyncHookHandler },
) {
  app.get("/v1/models", { onRequest: opts.requireApiKey }, async (request) => {
    const snapshot = opts.config.current();
    const scope = keyScopeOf(snapshot, request.clientKey);
    if (request.headers["anthropic-version"] !== undefined) {
      const chainNames = new Set(scope.chains.map((c) => c.name));
      const models = [
        ...scope.chains.map((c) => ({
          id: c.name,
          display: `${c.name} (chain: ${c.entries.map((e) => e.label).join(", ")})`,
        })),
        ...[...snapshot.aliases.exact]
          .filter(([, chain]) => chainNames.has(chain))
          .map(([alias, chain]) => ({ id: alias, display: `${alias} (alias of ${chain})` })),
        ...scope.entries.map((e) => ({ id: e.label, display: e.label })),
      ].map((m) => ({ type: "model", id: m.id, display_name: m.display, created_at: EPOCH }));
      return {
        data: models,
        has_more: false,
        first_id: models[0]?.id ?? null,
        last_id: models.at(-1)?.id ?? null,
      };
    }
    const created = 0;
    const chains = scope.chains.map((c) => ({
      id: c.name,
      object: "model" as const,
      created,
      owned_by: "429chain",
      kind: c.kind ?? "chat",
      ...(c.dimensions !== undefined ? { dimensions: c.dimensions } : {}),
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
