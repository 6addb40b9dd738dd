import { mkdtemp, rm } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findOrInstallNginx, type Nginx, startNginx } from "./nginx";

// Which paths infra/nginx/nginx.conf lets through to the replicas. The replicas here are
// stubs that answer every path, so what comes back depends on nginx alone.

const nginx = await findOrInstallNginx();
const unavailable = "unavailable" in nginx ? nginx.unavailable : undefined;
// CI must run it: there a missing nginx is a failure, not a skip.
if (unavailable && process.env.CI) throw new Error(`nginx routes test: ${unavailable}`);
if (unavailable) console.warn(`nginx routes test skipped: ${unavailable}`);

interface Stub {
  server: Server;
  port: number;
  /** Request lines (method and raw URL) this stub received. */
  seen: string[];
}

async function startStub(): Promise<Stub> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ stub: true, url: req.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

/** GET with the path sent exactly as written (fetch would resolve "..", as a browser does). */
function getRaw(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(url), { path }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe.skipIf(unavailable !== undefined)("the compose load balancer's routes", () => {
  let stubs: Stub[] = [];
  let lb: Nginx | undefined;
  let dir = "";
  const seen = () => stubs.flatMap((s) => s.seen);

  beforeAll(async () => {
    if (!("path" in nginx)) return;
    dir = await mkdtemp(join(tmpdir(), "429chain-nginx-routes-"));
    stubs = [await startStub(), await startStub()];
    lb = await startNginx(nginx.path, {
      listenPort: await freePort(),
      gatewayPorts: stubs.map((s) => s.port),
      dir,
    });
  }, 60_000);

  afterAll(async () => {
    await lb?.stop();
    await Promise.all(stubs.map((s) => new Promise((resolve) => s.server.close(resolve))));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ["GET", "/v1/models"],
    ["POST", "/v1/chat/completions"],
    ["POST", "/v1/embeddings"],
    ["GET", "/health"],
    ["GET", "/"],
    ["GET", "/index.js"],
    ["GET", "/openapi.json"],
  ])("passes %s %s to a replica", async (method, path) => {
    const res = await fetch(`${lb?.url}${path}`, {
      method,
      body: method === "POST" ? "{}" : undefined,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ stub: true, url: path });
  });

  it.each([
    "/metrics",
    "/ready",
    "/metrics?format=prometheus",
    "/ready/",
    "/health/",
    "/healthz",
    "/index.html",
    "/openapi.json/",
    "/metrics/../openapi.json/",
    "/v1/../metrics",
    "/v1/%2e%2e/ready",
    "/v1/..%2fmetrics",
    "//metrics",
    "/%6detrics",
  ])("answers GET %s with a 404 of its own, reaching no replica", async (path) => {
    const before = seen().length;
    const res = await getRaw(lb?.url ?? "", path);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: "not_found" } });
    expect(seen().slice(before)).toEqual([]);
  });
});
