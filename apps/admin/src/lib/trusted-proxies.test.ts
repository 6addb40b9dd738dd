import { describe, expect, it } from "vitest";
import { normalizeAddress, parseTrustedProxies } from "./trusted-proxies";

function trusted(text: string) {
  const parsed = parseTrustedProxies(text);
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.value;
}

describe("normalizeAddress", () => {
  it("reduces what sockets and proxies write to one form", () => {
    expect(normalizeAddress("203.0.113.7")).toBe("203.0.113.7");
    expect(normalizeAddress(" ::FFFF:203.0.113.7 ")).toBe("203.0.113.7");
    expect(normalizeAddress("2001:DB8::1")).toBe("2001:db8::1");
    expect(normalizeAddress("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("203.0.113.7:51234")).toBe("203.0.113.7");
  });

  it("refuses what is no address", () => {
    for (const bad of ["", "unknown", "evil.example", "999.1.1.1", "1.2.3", "_hidden"]) {
      expect(normalizeAddress(bad), bad).toBeNull();
    }
  });
});

describe("parseTrustedProxies", () => {
  it("trusts nobody when empty", () => {
    const none = trusted("");
    expect(none.trusts("127.0.0.1")).toBe(false);
    expect(none.trusts("10.0.0.1")).toBe(false);
  });

  it("matches exact addresses and CIDR ranges of both families", () => {
    const list = trusted("192.0.2.10, 10.1.0.0/16, 2001:db8::/32, fd00::5");
    expect(list.trusts("192.0.2.10")).toBe(true);
    expect(list.trusts("192.0.2.11")).toBe(false);
    expect(list.trusts("10.1.255.3")).toBe(true);
    expect(list.trusts("10.2.0.1")).toBe(false);
    expect(list.trusts("2001:db8:ffff::9")).toBe(true);
    expect(list.trusts("2001:db9::1")).toBe(false);
    expect(list.trusts("fd00::5")).toBe(true);
    // A dual-stack socket reports IPv4 peers as IPv4-mapped IPv6.
    expect(list.trusts("::ffff:10.1.2.3")).toBe(true);
    expect(list.trusts("not an address")).toBe(false);
  });

  it("knows the words loopback and private", () => {
    const list = trusted("loopback, private");
    for (const yes of ["127.0.0.1", "127.9.9.9", "::1", "10.0.0.1", "172.31.0.1", "192.168.1.1"]) {
      expect(list.trusts(yes), yes).toBe(true);
    }
    expect(list.trusts("fd12:3456::1")).toBe(true);
    for (const no of ["172.32.0.1", "203.0.113.7", "2001:db8::1", "11.0.0.1"]) {
      expect(list.trusts(no), no).toBe(false);
    }
  });

  it("names every bad entry", () => {
    expect(parseTrustedProxies("10.0.0.0/33, proxy.internal, 10.0.0.1, ::/129")).toEqual({
      ok: false,
      errors: [
        '"10.0.0.0/33": the prefix length must be 0 to 32',
        '"proxy.internal" is not an IP address, a CIDR range, "loopback" or "private"',
        '"::/129": the prefix length must be 0 to 128',
      ],
    });
  });
});
