import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { GatewayError } from "../errors";
import type { GatewayMetrics } from "../metrics";

/** Whether an Authorization header carries the metrics token (compared in constant time). */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? "");
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Prometheus text; with a token configured, only for `Authorization: Bearer <token>`. */
export async function metricsRoute(
  app: FastifyInstance,
  opts: { metrics: GatewayMetrics; token: string | undefined },
) {
  app.get("/metrics", async (request, reply) => {
    if (opts.token !== undefined && !tokenMatches(request.headers.authorization, opts.token)) {
      throw new GatewayError(
        "invalid_api_key",
        "/metrics needs 'Authorization: Bearer <METRICS_TOKEN>'.",
      );
    }
    const text = await opts.metrics.registry.metrics();
    return reply.type(opts.metrics.registry.contentType).send(text);
  });
}
