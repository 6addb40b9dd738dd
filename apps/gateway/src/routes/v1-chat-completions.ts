import type { FastifyInstance, onRequestAsyncHookHandler } from "fastify";
import { type ServeDeps, serveChat } from "../lifecycle/serve-chat";

export interface ChatRouteOptions {
  deps: ServeDeps;
  requireApiKey: onRequestAsyncHookHandler;
}

export async function chatCompletionsRoute(app: FastifyInstance, opts: ChatRouteOptions) {
  app.post("/v1/chat/completions", { onRequest: opts.requireApiKey }, (request, reply) =>
    serveChat(opts.deps, request, reply),
  );
}
