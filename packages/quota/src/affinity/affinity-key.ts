/**
 * The one Redis key of a conversation's affinity. A single key per conversation, so it needs
 * no hash tag on Redis Cluster; `conversation` is a base64url digest, which holds neither ':'
 * nor '{' '}'.
 */
export function affinityKey(prefix: string, conversation: string): string {
  return `${prefix}aff:${conversation}`;
}
