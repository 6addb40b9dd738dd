import { createHash } from "node:crypto";
import type { ConversationMark } from "./conversation-mark";

/**
 * The id a conversation's affinity is stored under: a SHA-256 (base64url) of the client key,
 * the chain and the mark, so two keys or two chains never share a conversation and neither
 * the content nor a client's own id is ever stored.
 */
export function conversationId(keyHash: string, chain: string, mark: ConversationMark): string {
  const hash = createHash("sha256");
  hash.update(canonicalJson([keyHash, chain, mark]));
  return hash.digest("base64url");
}

/**
 * JSON with object keys sorted, so equal values hash equal whatever key order a client's
 * serializer used. `cache_control` is left out: clients move their cache breakpoints to the
 * newest turn, and that must not make an old message look different.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .filter((k) => k !== "cache_control" && record[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
  return `{${fields.join(",")}}`;
}
