import type { FastifyInstance, onRequestAsyncHookHandler } from "fastify";
import { type ServeDeps, serveRequest } from "../lifecycle/serve-request";
import { chatSurface } from "../surfaces/chat-surface";
import { embeddingsSurface } from "../surfaces/embeddings-surface";
import { messagesSurface } from "../surfaces/messages-surface";
import { responsesSurface } from "../surfaces/responses-surface";

interface ApiRouteOptions {
  deps: ServeDeps;
  requireApiKey: onRequestAsyncHookHandler;
}

/** The waterfall's API surfaces: each route is the same lifecycle with its own adapter. */
export async function apiRoutes(app: FastifyInstance, opts: ApiRouteOptions) {
  const { deps, requireApiKey } = opts;
  app.post(
    "/v1/chat/completions",
    { onRequest: requireApiKey, config: { surface: "chat" } },
    (request, reply) => serveRequest(chatSurface, deps, request, reply),
  );
  app.post(
    "/v1/messages",
    { onRequest: requireApiKey, config: { surface: "messages" } },
    (request, reply) => serveRequest(messagesSurface, deps, request, reply),
  );
  app.post(
    "/v1/embeddings",
    { onRequest: requireApiKey, config: { surface: "embeddings" } },
    (request, reply) => serveRequest(embeddingsSurface, deps, request, reply),
  );
  app.post(
    "/v1/responses",
    { onRequest: requireApiKey, config: { surface: "responses" } },
    (request, reply) => serveRequest(responsesSurface, deps, request, reply),
  );
}
