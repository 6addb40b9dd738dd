import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { MasterKey } from "./master-key";

export class SecretDecryptError extends Error {
  override readonly name = "SecretDecryptError";
}

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM. Format `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts), so a stored
 * value names the master key it needs. `context` (e.g. "provider:groq") is bound as
 * additional data: a ciphertext copied onto another row fails to decrypt.
 */
export function encryptSecret(plaintext: string, key: MasterKey, context = ""): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, key.id, ...[iv, tag, body].map((b) => b.toString("base64url"))].join(":");
}

/** The key id a stored ciphertext was made with. */
export function secretKeyId(ciphertext: string): string {
  const [version, keyId] = ciphertext.split(":");
  if (version !== VERSION || !keyId) {
    throw new SecretDecryptError("not a 429chain ciphertext (expected v1:<keyId>:…)");
  }
  return keyId;
}

export function decryptSecret(ciphertext: string, key: MasterKey, context = ""): string {
  const keyId = secretKeyId(ciphertext);
  if (keyId !== key.id) {
    throw new SecretDecryptError(
      `secret was encrypted with master key ${keyId}, but the given master key is ${key.id}`,
    );
  }
  const parts = ciphertext.split(":");
  const [iv, tag, body] = parts.slice(2).map((p) => Buffer.from(p, "base64url"));
  if (parts.length !== 5 || !iv || !tag || !body || iv.length !== IV_BYTES) {
    throw new SecretDecryptError("malformed ciphertext");
  }
  if (tag.length !== TAG_BYTES) throw new SecretDecryptError("malformed ciphertext");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.bytes, iv);
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptError(
      "secret failed authentication: it was altered or belongs to another record",
    );
  }
}
