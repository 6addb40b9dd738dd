import {
  createTestRedis,
  type FakeUpstream,
  freePort,
  startFakeUpstream,
  TEST_REDIS_URL,
  type TestRedis,
  waitFor,
} from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process";
import { postChat, upstreamConfig, writeTempConfig } from "./harness";

let upstream: FakeUpstream;
let redis: TestRedis;
let gateway: GatewayProcess;
let metricsPort: number;
let config: { path: string; remove(): void };

beforeAll(async () => {
  upstream = await startFakeUpstream();
  redis = await createTestRedis("workers");
  config = writeTempConfig(upstreamConfig(upstream.url), "workers");
  metricsPort = await freePort();
  gateway = await startGatewayProcess({
    env: {
      CONFIG_PATH: config.path,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: redis.prefix,
      REDIS_COMMAND_TIMEOUT_MS: "3000",
      GATEWAY_WORKERS: "2",
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: "warn",
    },
    // In worker mode /ready lives with the primary on METRICS_PORT; workers answer /health.
    readyPath: "/health",
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
  await redis?.cleanup();
  config?.remove();
});

describe("GATEWAY_WORKERS", () => {
  it("serves one port from several worker processes and sums their metrics on METRICS_PORT", async () => {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${metricsPort}/ready`)).ok, {
      timeoutMs: 20_000,
    });
    const workers = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${gateway.url}/health`, { headers: { connection: "close" } });
      workers.add(((await res.json()) as { worker: number }).worker);
    }
    expect(workers.size).toBe(2);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        postChat(gateway.url, { model: "ab" }, {}).then((r) => r.status),
      ),
    );
    expect(answers.every((s) => s === 200)).toBe(true);
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const served = text
      .split("\n")
      .filter((l) => l.startsWith("gateway_requests_total{") && l.includes('outcome="ok"'))
      .reduce((n, l) => n + Number(l.split(" ").at(-1)), 0);
    expect(served).toBe(20);
  });

  it("stops every worker on SIGTERM and exits 0", async () => {
    expect(await gateway.stop()).toBe(0);
  });
});

it("refuses more than one worker without Redis, saying why", async () => {
  const err = await startGatewayProcess({
    env: { CONFIG_PATH: config.path, GATEWAY_WORKERS: "2", LOG_LEVEL: "warn" },
  }).catch((e: unknown) => e);
  expect(String(err)).toContain("GATEWAY_WORKERS above 1 needs REDIS_URL");
});
