import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "./proxy";

const get = (path: string, headers: Record<string, string> = {}) =>
  proxy(new NextRequest(`http://127.0.0.1:3431${path}`, { headers }));

describe("proxy", () => {
  it("gives a response the CSP and security headers, and the request the same CSP", () => {
    const response = get("/dashboard", { "content-security-policy": "script-src *" });
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    // NextResponse.next passes request header overrides to the renderer this way.
    expect(response.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
  });

  it("uses a new nonce for every response", () => {
    const nonce = (path: string) =>
      /'nonce-([^']+)'/.exec(get(path).headers.get("content-security-policy")!)?.[1];
    expect(nonce("/login")).not.toBe(nonce("/login"));
  });

  it("refuses a malformed page link with 400 and says why, headers included", async () => {
    const response = get("/requests?cursor=not-a-cursor");
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^Bad request: \?cursor= is not a request-log page link/);
    expect(response.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(get("/audit?before=last").status).toBe(400);
  });
});
