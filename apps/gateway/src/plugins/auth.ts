import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type { ConfigSource } from "../config/file-config-source";
import { hashApiKey } from "../config/snapshot";
import { GatewayError } from "../errors";

/**
 * Bearer key → SHA-256 → compared with every configured key hash in constant time (no early
 * exit), so response timing says nothing about how close a guess was. Keys are never logged.
 */
export function createApiKeyCheck(config: ConfigSource) {
  return async function requireApiKey(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new GatewayError(
        "invalid_api_key",
        "Missing API key: send 'Authorization: Bearer <key>'.",
      );
    }
    const presented = Buffer.from(hashApiKey(match[1]), "hex");
    let keyId: string | undefined;
    for (const [hash, id] of config.current().apiKeyHashes) {
      if (timingSafeEqual(presented, Buffer.from(hash, "hex"))) keyId = id;
    }
    if (!keyId) throw new GatewayError("invalid_api_key", "Incorrect API key provided.");
    request.apiKeyId = keyId;
  };
}

declare module "fastify" {
  interface FastifyRequest {
    apiKeyId: string | undefined;
  }
}
