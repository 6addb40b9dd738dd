import { readFileSync } from "node:fs";
import { ERROR_STATUSES } from "@429chain/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import manifest from "../package.json" with { type: "json" };
import { OPERATIONS } from "../src/openapi/openapi-document";
import { OPENAPI_FILE, openApiText } from "../src/openapi/write-openapi";
import { startTestGateway, type TestGateway, upstreamConfig } from "./harness";

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway(upstreamConfig("http://127.0.0.1:9"));
});
afterAll(() => gw.close());

/**
 * "METHOD path" of every route the app registered (HEAD being Fastify's own), read from
 * printRoutes' tree: each line is a path segment, indented four columns per level under the
 * segment it continues.
 */
function registeredRoutes(): string[] {
  const printed = gw.gateway.app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  return printed.split("\n").flatMap((line) => {
    const m = /^([\s│├└─]*)(\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) return [];
    const depth = (m[1] as string).length / 4 - 1;
    stack.length = depth;
    stack.push(m[2] as string);
    const path = stack.join("").replace(/^\/?/, "/");
    return (m[3] as string)
      .split(", ")
      .filter((method) => method !== "HEAD")
      .map((method) => `${method} ${path}`);
  });
}

describe("the OpenAPI document", () => {
  it("documents every route the gateway serves, and only those", () => {
    const documented = OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect(registeredRoutes().sort()).toEqual([...documented].sort());
  });

  it("lists every error code of the closed set", () => {
    const listed = new Set(OPERATIONS.flatMap((op) => op.errors));
    // Answered for any unknown path (the document says so) and inside streams (likewise).
    for (const code of ["not_found", "upstream_stream_error"] as const) listed.add(code);
    expect([...listed].sort()).toEqual(Object.keys(ERROR_STATUSES).sort());
    const text = readFileSync(OPENAPI_FILE, "utf8");
    expect(text).toContain("upstream_stream_error");
    expect(text).toContain("`not_found`");
  });

  it("is served at /openapi.json as generated from the contracts (run `pnpm openapi`)", async () => {
    expect(readFileSync(OPENAPI_FILE, "utf8")).toBe(openApiText());
    const res = await fetch(`${gw.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const doc = (await res.json()) as { openapi: string; info: { version: string } };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.version).toBe(manifest.version);
  });
});

describe("the page at /", () => {
  it("is HTML for a person, without auth, and its script loads from the same origin", async () => {
    const res = await fetch(`${gw.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain("429chain gateway");
    expect(html).toContain('href="/openapi.json"');
    const script = await fetch(`${gw.url}/index.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('fetch("/ready"');
  });
});
