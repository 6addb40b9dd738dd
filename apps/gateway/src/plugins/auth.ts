import { isPublicExampleKey } from "@429chain/contracts";
import type { FastifyRequest } from "fastify";
import type { ConfigSource } from "../config/config-source";
import type { KeyUsageRecorder } from "../config/key-usage";
import { type ClientKeyInfo, hashApiKey } from "../config/snapshot";
import { GatewayError } from "../errors";

interface ApiKeyCheckOptions {
  config: ConfigSource;
  usage: KeyUsageRecorder;
  /**
   * The gateway listens beyond loopback: the example keys published in this repository are
   * refused, since anyone can read them.
   */
  exposed: boolean;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** `Authorization: Bearer <key>` (OpenAI) or `x-api-key: <key>` (Anthropic). */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const bearer = typeof header === "string" ? BEARER.exec(header)?.[1] : undefined;
  if (bearer) return bearer;
  const apiKey = request.headers["x-api-key"];
  return typeof apiKey === "string" && apiKey.trim() !== "" ? apiKey.trim() : undefined;
}

/**
 * An onRequest hook, so nothing of an unauthenticated request's body is read or buffered.
 * Key → SHA-256 → lookup among the configured key hashes. The lookup is keyed by the hash,
 * which a caller cannot steer toward a real key, so its timing reveals nothing about any key
 * (a scan with timingSafeEqual would cost milliseconds with thousands of DB keys). Keys are
 * never logged.
 */
export function createApiKeyCheck(opts: ApiKeyCheckOptions) {
  return async function requireApiKey(request: FastifyRequest): Promise<void> {
    const presented = presentedKey(request);
    if (!presented) {
      throw new GatewayError(
        "invalid_api_key",
        "Missing API key: send 'Authorization: Bearer <key>' (or 'x-api-key: <key>').",
      );
    }
    const key = opts.config.current().clientKeys.get(hashApiKey(presented));
    if (!key) throw new GatewayError("invalid_api_key", "Incorrect API key provided.");
    if (key.revoked) throw new GatewayError("invalid_api_key", "This API key has been revoked.");
    if (key.expiresAt !== null && key.expiresAt <= Date.now()) {
      throw new GatewayError("invalid_api_key", "This API key has expired.");
    }
    if (opts.exposed && isPublicExampleKey(presented)) {
      throw new GatewayError(
        "invalid_api_key",
        "This is the example key published in the 429chain repository; a gateway reachable beyond loopback refuses it. Issue a key of your own (admin console, or '429chain keys create').",
      );
    }
    request.clientKey = key;
    opts.usage.touch(key.id);
  };
}

declare module "fastify" {
  interface FastifyRequest {
    clientKey: ClientKeyInfo | undefined;
    /** The client's own `X-Client-Request-Id` / `X-Request-Id`, bounded; never our id. */
    clientRequestId: string | null;
  }
}
