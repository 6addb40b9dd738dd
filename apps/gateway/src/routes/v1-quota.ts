import type { FastifyInstance, onRequestAsyncHookHandler } from "fastify";
import type { ConfigSource } from "../config/config-source";
import { keyScopeOf } from "../config/key-scope";
import type { LedgerView } from "../ledger/ledger-view";

/** The quota ledger of the chains the key may use: what is left, and when it runs out. */
export async function quotaRoute(
  app: FastifyInstance,
  opts: { config: ConfigSource; ledger: LedgerView; requireApiKey: onRequestAsyncHookHandler },
) {
  app.get("/v1/quota", { onRequest: opts.requireApiKey }, async (request) =>
    opts.ledger.forScope(keyScopeOf(opts.config.current(), request.clientKey)),
  );
}
