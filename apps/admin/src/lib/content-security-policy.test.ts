import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce } from "./content-security-policy";

describe("contentSecurityPolicy", () => {
  it("forbids framing and allows only this origin's nonce'd scripts", () => {
    const csp = contentSecurityPolicy("abc123", { development: false });
    const directives = Object.fromEntries(
      csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]),
    );
    expect(directives["frame-ancestors"]).toBe("'none'");
    expect(directives["default-src"]).toBe("'self'");
    expect(directives["script-src"]).toBe("'self' 'nonce-abc123' 'strict-dynamic'");
    expect(directives["object-src"]).toBe("'none'");
    expect(csp).not.toContain("unsafe");
  });

  it("lets React's development build evaluate code, in development only", () => {
    expect(contentSecurityPolicy("n", { development: true })).toContain("'unsafe-eval'");
  });
});

describe("newNonce", () => {
  it("is fresh base64 of 128 bits each time", () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(newNonce()).not.toBe(a);
  });
});
