/** Stands in for a provider's apiKey in an export without secrets; import keeps the stored key. */
export const REDACTED_PROVIDER_KEY = "<redacted:provider-key>";

// The credential headers' placeholder; the console's browser code needs it too.
export { REDACTED_PROVIDER_HEADER } from "@429chain/contracts";

const CLIENT_KEY_PLACEHOLDER = /^<redacted:client-key:([0-9a-f-]{36})>$/;

/** Names the stored row, so an import of a redacted export keeps that client key. */
export function redactedClientKey(id: string): string {
  return `<redacted:client-key:${id}>`;
}

export function redactedClientKeyId(value: string): string | null {
  return CLIENT_KEY_PLACEHOLDER.exec(value)?.[1] ?? null;
}

export function isRedacted(value: string): boolean {
  return value.startsWith("<redacted:");
}
