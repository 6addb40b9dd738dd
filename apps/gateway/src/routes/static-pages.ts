import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** apps/gateway/public: the page and the OpenAPI document (next to dist/ in a build). */
const PUBLIC_DIR = fileURLToPath(new URL("../../public/", import.meta.url));

const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
};

/**
 * `/` for a person opening the gateway in a browser, its script, and `/openapi.json`. No
 * auth and nothing per key: the files are the same for everyone.
 */
export async function staticPages(app: FastifyInstance) {
  // serve: false: only the routes below, so the route list stays what the document says.
  await app.register(fastifyStatic, { root: PUBLIC_DIR, serve: false });
  app.get("/", (_request, reply) => reply.headers(PAGE_HEADERS).sendFile("index.html"));
  app.get("/index.js", (_request, reply) => reply.headers(PAGE_HEADERS).sendFile("index.js"));
  app.get("/openapi.json", (_request, reply) =>
    reply.headers(PAGE_HEADERS).sendFile("openapi.json"),
  );
}
