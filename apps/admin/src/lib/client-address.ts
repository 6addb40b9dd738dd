import type { HeaderSource } from "./origin";
import { normalizeAddress, type TrustedProxies } from "./trusted-proxies";

/**
 * The TCP peer of the request, written by the console's own server hook
 * (server/net/peer-address-stamp.ts) over whatever the client sent under this name. Next.js
 * hands route handlers and server actions headers only, never the socket.
 */
export const PEER_ADDRESS_HEADER = "x-429chain-peer-address";

// Enough for any real chain of proxies; a longer header is someone padding it.
const MAX_HOPS = 32;

/**
 * The client's address: the socket peer, unless that peer is a trusted proxy; then
 * X-Forwarded-For is walked from the right (the hop the nearest proxy appended) past every
 * trusted proxy, and the first untrusted hop is the client. Hops left of it were written by
 * the client itself and are never believed. null when the peer is unknown (the server hook
 * did not run).
 */
export function clientAddress(headers: HeaderSource, trusted: TrustedProxies): string | null {
  const peer = normalizeAddress(headers.get(PEER_ADDRESS_HEADER) ?? "");
  if (peer === null) return null;
  let client = peer;
  if (!trusted.trusts(client)) return client;
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter((hop) => hop !== "")
    .slice(-MAX_HOPS);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]!);
    // A trusted proxy passed on something that is no address: the proxy is what we know.
    if (hop === null) return client;
    client = hop;
    if (!trusted.trusts(hop)) return hop;
  }
  return client;
}
