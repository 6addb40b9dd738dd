import type { FastifyRequest } from "fastify";
import type { ConfigSource } from "../config/config-source";
import type { KeyUsageRecorder } from "../config/key-usage";
import { type ClientKeyInfo, hashApiKey } from "../config/snapshot";
import { GatewayError } from "../errors";

/**
 * Bearer key → SHA-256 → lookup among the configured key hashes. The lookup is keyed by the
 * hash, which a caller cannot steer toward a real key, so its timing reveals nothing about
 * any key (a scan with timingSafeEqual would cost milliseconds with thousands of DB keys).
 * Keys are never logged.
 */
export function createApiKeyCheck(config: ConfigSource, usage: KeyUsageRecorder) {
  return async function requireApiKey(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new GatewayError(
        "invalid_api_key",
        "Missing API key: send 'Authorization: Bearer <key>'.",
      );
    }
    const key = config.current().clientKeys.get(hashApiKey(match[1]));
    if (!key) throw new GatewayError("invalid_api_key", "Incorrect API key provided.");
    if (key.revoked) throw new GatewayError("invalid_api_key", "This API key has been revoked.");
    if (key.expiresAt !== null && key.expiresAt <= Date.now()) {
      throw new GatewayError("invalid_api_key", "This API key has expired.");
    }
    request.clientKey = key;
    usage.touch(key.id);
  };
}

declare module "fastify" {
  interface FastifyRequest {
    clientKey: ClientKeyInfo | undefined;
  }
}
