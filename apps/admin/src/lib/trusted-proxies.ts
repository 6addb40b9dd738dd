import { BlockList, isIP } from "node:net";

/** The proxies whose X-Forwarded-For entries the console believes (TRUSTED_PROXIES). */
export interface TrustedProxies {
  trusts(address: string): boolean;
  /** The entries as configured, for messages. */
  readonly entries: readonly string[];
}

type Family = "ipv4" | "ipv6";

// Named groups, so a deployment can say what it means instead of listing ranges.
const GROUPS: Record<string, readonly string[]> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  // RFC 1918 and IPv6 unique local addresses: where load balancers and ingress pods live.
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

function familyOf(address: string): Family | null {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : null;
}

/**
 * An address as the socket or a proxy wrote it, in one canonical form: IPv4-mapped IPv6
 * (`::ffff:10.0.0.1`, what a dual-stack listener reports) becomes the IPv4 address, IPv6 is
 * lower-cased, a `[v6]:port` or `v4:port` suffix is dropped. null for anything else.
 */
export function normalizeAddress(raw: string): string | null {
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(text)) text = text.slice(0, text.indexOf(":"));
  const family = familyOf(text);
  if (family === "ipv4") return text;
  if (family === null) return null;
  const lower = text.toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  return mapped && familyOf(mapped[1]!) === "ipv4" ? mapped[1]! : lower;
}

function addEntry(list: BlockList, entry: string): string | null {
  const slash = entry.indexOf("/");
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const family = familyOf(address);
  if (family === null) {
    return `"${entry}" is not an IP address, a CIDR range, "loopback" or "private"`;
  }
  if (slash < 0) {
    list.addAddress(address, family);
    return null;
  }
  const prefixText = entry.slice(slash + 1);
  const prefix = Number(prefixText);
  const max = family === "ipv4" ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || prefix > max) {
    return `"${entry}": the prefix length must be 0 to ${max}`;
  }
  list.addSubnet(address, prefix, family);
  return null;
}

/**
 * Parses TRUSTED_PROXIES: a comma list of IPv4/IPv6 addresses, CIDR ranges and the words
 * `loopback` and `private`. Empty trusts nobody. Returns what is wrong instead of throwing.
 */
export function parseTrustedProxies(
  text: string,
): { ok: true; value: TrustedProxies } | { ok: false; errors: string[] } {
  const entries = text
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  const list = new BlockList();
  const errors: string[] = [];
  for (const entry of entries) {
    for (const item of GROUPS[entry.toLowerCase()] ?? [entry]) {
      const error = addEntry(list, item);
      if (error) errors.push(error);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      entries,
      trusts(address) {
        const normalized = normalizeAddress(address);
        const family = normalized === null ? null : familyOf(normalized);
        return family !== null && list.check(normalized!, family);
      },
    },
  };
}
