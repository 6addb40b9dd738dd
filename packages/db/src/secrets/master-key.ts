import { createHash } from "node:crypto";

export class MasterKeyError extends Error {
  override readonly name = "MasterKeyError";
}

export interface MasterKey {
  /** First 8 hex characters of SHA-256(key): names the key without revealing it. */
  readonly id: string;
  readonly bytes: Buffer;
}

const KEY_BYTES = 32;
const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export function masterKeyFromBytes(bytes: Buffer): MasterKey {
  if (bytes.length !== KEY_BYTES) {
    throw new MasterKeyError(`a master key must be ${KEY_BYTES} bytes, got ${bytes.length}`);
  }
  return { id: createHash("sha256").update(bytes).digest("hex").slice(0, 8), bytes };
}

/**
 * Parses MASTER_KEY: 32 bytes as 64 hex characters or as base64 (standard or URL-safe).
 * Messages name the problem and never echo the value.
 */
export function parseMasterKey(value: string | undefined, name = "MASTER_KEY"): MasterKey {
  const text = value?.trim() ?? "";
  if (text === "") {
    throw new MasterKeyError(
      `${name} is not set: database mode needs a 32-byte key, e.g. \`openssl rand -base64 32\``,
    );
  }
  if (text.length === KEY_BYTES * 2 && HEX.test(text)) {
    return masterKeyFromBytes(Buffer.from(text, "hex"));
  }
  if (!BASE64.test(text)) {
    throw new MasterKeyError(
      `${name} is malformed: expected 64 hex characters or base64 of 32 bytes`,
    );
  }
  const bytes = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (bytes.length !== KEY_BYTES) {
    throw new MasterKeyError(
      `${name} decodes to ${bytes.length} bytes, expected ${KEY_BYTES} (64 hex characters or base64 of 32 bytes)`,
    );
  }
  return masterKeyFromBytes(bytes);
}
