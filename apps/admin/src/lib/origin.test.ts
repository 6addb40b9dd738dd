import { describe, expect, it } from "vitest";
import { isSameOrigin, isSecureHost } from "./origin";

const h = (init: Record<string, string>) => new Headers(init);

describe("isSameOrigin", () => {
  it("accepts the console's own origin, behind a proxy too", () => {
    expect(isSameOrigin(h({ host: "localhost:3431", origin: "http://localhost:3431" }))).toBe(true);
    expect(
      isSameOrigin(
        h({
          host: "10.0.0.5:3431",
          "x-forwarded-host": "admin.example.com",
          origin: "https://admin.example.com",
        }),
      ),
    ).toBe(true);
  });

  it("refuses another site, another port, and the opaque origin", () => {
    expect(isSameOrigin(h({ host: "localhost:3431", origin: "http://evil.example" }))).toBe(false);
    expect(isSameOrigin(h({ host: "localhost:3431", origin: "http://localhost:9999" }))).toBe(
      false,
    );
    expect(isSameOrigin(h({ host: "localhost:3431", origin: "null" }))).toBe(false);
  });

  it("without Origin, refuses only what the browser marks cross-site", () => {
    expect(isSameOrigin(h({ host: "localhost:3431" }))).toBe(true);
    expect(isSameOrigin(h({ host: "localhost:3431", "sec-fetch-site": "cross-site" }))).toBe(false);
  });
});

describe("isSecureHost", () => {
  it("is Secure everywhere but localhost on auto, or as configured", () => {
    expect(isSecureHost("auto", h({ host: "localhost:3431" }))).toBe(false);
    expect(isSecureHost("auto", h({ host: "127.0.0.1:3431" }))).toBe(false);
    expect(isSecureHost("auto", h({ host: "admin.example.com" }))).toBe(true);
    expect(isSecureHost("false", h({ host: "admin.example.com" }))).toBe(false);
    expect(isSecureHost("true", h({ host: "localhost" }))).toBe(true);
  });
});
