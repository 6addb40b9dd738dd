import type { ApiSurface } from "@429chain/contracts";
import type { FastifyRequest } from "fastify";
import type { GatewayError } from "../errors";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The API a route speaks; decides the shape of its errors. */
    surface?: ApiSurface;
  }
}

/** The API surface of the route a request matched, if it is one of the waterfall's. */
export function surfaceOf(request: FastifyRequest): ApiSurface | undefined {
  return request.routeOptions.config?.surface;
}

/**
 * The status an Anthropic client gets: the same, except that a chain whose entries all failed
 * (502) or are unavailable (503) is Anthropic's 529 overloaded, which Claude Code retries.
 */
export function anthropicStatus(err: GatewayError): number {
  if (err.code === "all_providers_exhausted" && (err.status === 502 || err.status === 503)) {
    return 529;
  }
  return err.status;
}
