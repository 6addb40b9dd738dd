import { describe, expect, it } from "vitest";
import { clientAddress, PEER_ADDRESS_HEADER } from "./client-address";
import { parseTrustedProxies } from "./trusted-proxies";

function trusted(text: string) {
  const parsed = parseTrustedProxies(text);
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.value;
}

const request = (peer: string | null, forwardedFor?: string) => {
  const headers = new Headers();
  if (peer !== null) headers.set(PEER_ADDRESS_HEADER, peer);
  if (forwardedFor !== undefined) headers.set("x-forwarded-for", forwardedFor);
  return headers;
};

describe("clientAddress", () => {
  it("is the socket peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    const none = trusted("");
    expect(clientAddress(request("203.0.113.7", "198.51.100.1"), none)).toBe("203.0.113.7");
    expect(clientAddress(request("::ffff:127.0.0.1", "198.51.100.1"), none)).toBe("127.0.0.1");
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", () => {
    const lb = trusted("10.0.0.0/8");
    expect(clientAddress(request("203.0.113.7", "198.51.100.1, 10.0.0.2"), lb)).toBe("203.0.113.7");
  });

  it("walks from the right past trusted proxies to the first untrusted hop", () => {
    const lbs = trusted("10.0.0.0/8, 192.0.2.1");
    // The client wrote 1.1.1.1 itself; the edge proxy appended the real client 203.0.113.7.
    const headers = request("10.0.0.9", "1.1.1.1, 203.0.113.7, 192.0.2.1, 10.0.0.3");
    expect(clientAddress(headers, lbs)).toBe("203.0.113.7");
    expect(clientAddress(request("10.0.0.9", "2001:DB8::7"), lbs)).toBe("2001:db8::7");
    expect(clientAddress(request("10.0.0.9", "[2001:db8::7]:5555"), lbs)).toBe("2001:db8::7");
  });

  it("takes the peer itself when a trusted proxy forwards nothing", () => {
    expect(clientAddress(request("10.0.0.9"), trusted("private"))).toBe("10.0.0.9");
  });

  it("takes the leftmost hop when every hop is trusted", () => {
    expect(clientAddress(request("10.0.0.9", "10.0.0.5, 10.0.0.6"), trusted("private"))).toBe(
      "10.0.0.5",
    );
  });

  it("stops at garbage, keeping the last proxy that handed it on", () => {
    const lbs = trusted("private");
    expect(clientAddress(request("10.0.0.9", "evil, 10.0.0.6"), lbs)).toBe("10.0.0.6");
    expect(clientAddress(request("10.0.0.9", "<script>"), lbs)).toBe("10.0.0.9");
  });

  it("is null when the server hook left no peer", () => {
    expect(clientAddress(request(null, "198.51.100.1"), trusted("private"))).toBeNull();
    expect(clientAddress(request("not-an-ip", "198.51.100.1"), trusted("private"))).toBeNull();
  });
});
