import { createHash, randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 43 base62 characters carry 256 bits. */
const RANDOM_CHARS = 43;
export const ISSUED_KEY_PREFIX = "sk-429-";

/** A new client key; uniform base62 by rejection sampling (bytes ≥ 248 would bias it). */
export function generateClientKey(): string {
  let out = "";
  while (out.length < RANDOM_CHARS) {
    for (const byte of randomBytes(64)) {
      if (byte < 248 && out.length < RANDOM_CHARS) out += ALPHABET[byte % 62];
    }
  }
  return ISSUED_KEY_PREFIX + out;
}

export function hashClientKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/**
 * What lists show. Issued keys: `sk-429-` plus 6 random characters. A v1 file's key can be
 * any string, so it shows at most half of itself (and at most 10 characters).
 */
export function displayPrefixOf(key: string): string {
  if (key.startsWith(ISSUED_KEY_PREFIX)) return key.slice(0, ISSUED_KEY_PREFIX.length + 6);
  return key.slice(0, Math.min(10, Math.floor(key.length / 2)));
}
