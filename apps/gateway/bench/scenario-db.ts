import { ConfigSchema, configChangedChannel } from "@429chain/contracts";
import {
  bumpConfigVersion,
  clientApiKeys,
  displayPrefixOf,
  generateClientKey,
  hashClientKey,
  importConfig,
  loadConfigSnapshot,
} from "@429chain/db";
import { startAppProcess, TEST_REDIS_URL, uniquePrefix, waitFor } from "@429chain/testing";
import { Redis } from "ioredis";
import { buildSnapshot } from "../src/config/snapshot";
import { BENCH_API_KEY, CHAINS, gatewayTarget } from "./bench-config";
import { openBenchDb } from "./bench-db";
import type { ScenarioResult } from "./bench-types";
import { fmtMs } from "./format";
import { startGatewayChild } from "./gateway-child";
import { GATEWAY_BUILD } from "./paths";
import { LATENCY_HEADERS, measure, RATE_HZ, row } from "./scenario-latency";
import { summarize } from "./stats";

/** 200 providers, 500 chains of 4 entries: the snapshot size issue 3 asks about. */
function largeConfig(upstreamUrl: string) {
  const providers = Array.from({ length: 200 }, (_, i) => ({
    id: `p${i}`,
    name: `Provider ${i}`,
    type: "generic-openai",
    apiKey: `sk-provider-${i}`,
    baseUrl: `${upstreamUrl}/p${i}`,
    rateLimits: { requestsPerMinute: 30, tokensPerMinute: 6000 },
  }));
  const chains = Array.from({ length: 500 }, (_, i) => ({
    name: `chain-${i}`,
    entries: [0, 1, 2, 3].map((j) => ({ provider: `p${(i + j * 7) % 200}`, model: `m${j}` })),
  }));
  return {
    version: 1,
    settings: { apiKeys: [BENCH_API_KEY], defaultChain: "chain-0" },
    providers,
    chains,
  };
}

async function snapshotLoad(upstreamUrl: string) {
  const db = await openBenchDb(largeConfig(upstreamUrl));
  try {
    for (let i = 0; i < 10; i++) {
      const rows = Array.from({ length: 1000 }, (_, j) => {
        const key = generateClientKey();
        return {
          name: `key-${i * 1000 + j}`,
          keyHash: hashClientKey(key),
          displayPrefix: displayPrefixOf(key),
          rpm: 60,
        };
      });
      await db.handle.db.insert(clientApiKeys).values(rows);
    }
    await db.handle.db.transaction((tx) => bumpConfigVersion(tx));
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      const loaded = await loadConfigSnapshot(db.handle.db, { masterKey: db.masterKey });
      buildSnapshot(
        loaded.config,
        loaded.version,
        "bench",
        loaded.clientKeys.map((k) => ({ ...k, expiresAt: null })),
      );
      times.push(performance.now() - t0);
    }
    return summarize(times.slice(2));
  } finally {
    await db.close();
  }
}

/** Config writes as the CLI makes them (import + publish); time until both replicas serve it. */
async function propagation(upstreamUrl: string) {
  const base = {
    version: 1,
    settings: { apiKeys: [BENCH_API_KEY], defaultChain: "ab" },
    providers: ["a", "b"].map((id) => ({
      id,
      name: id,
      type: "generic-openai",
      apiKey: "x",
      baseUrl: `${upstreamUrl}/fast`,
    })),
    chains: [
      {
        name: "ab",
        entries: [
          { provider: "a", model: "m" },
          { provider: "b", model: "m" },
        ],
      },
    ],
  };
  const db = await openBenchDb(base);
  const prefix = uniquePrefix("bench-db");
  const publisher = new Redis(TEST_REDIS_URL);
  const env = {
    DATABASE_URL: db.url,
    MASTER_KEY: db.masterKeyText,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    LOG_LEVEL: "warn",
  };
  const replicas = await Promise.all([
    startAppProcess({ env, entry: GATEWAY_BUILD }),
    startAppProcess({ env, entry: GATEWAY_BUILD }),
  ]);
  const served = async (url: string) =>
    (
      await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${BENCH_API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "ab", messages: [{ role: "user", content: "hi" }] }),
      })
    ).headers.get("x-429chain-provider");
  const times: number[] = [];
  try {
    for (let i = 0; i < 20; i++) {
      const first = i % 2 === 0 ? "b" : "a";
      const config = structuredClone(base);
      config.chains[0]!.entries.sort((x, y) =>
        x.provider === first ? -1 : y.provider === first ? 1 : 0,
      );
      const t0 = performance.now();
      const version = await importConfig(db.handle.db, ConfigSchema.parse(config), {
        masterKey: db.masterKey,
        actor: "bench",
      });
      await publisher.publish(configChangedChannel(prefix), String(version));
      await Promise.all(
        replicas.map((r) =>
          waitFor(async () => (await served(r.url)) === `${first}/m`, {
            timeoutMs: 15_000,
            intervalMs: 2,
          }),
        ),
      );
      times.push(performance.now() - t0);
    }
    return summarize(times);
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    publisher.disconnect();
    await db.close();
  }
}

/** Issue 3: snapshot load time at size, write → replicas serving, latency DB vs file mode. */
export async function runDb(upstreamUrl: string): Promise<ScenarioResult> {
  const load = await snapshotLoad(upstreamUrl);
  const spread = await propagation(upstreamUrl);
  const file = await startGatewayChild("db-file", upstreamUrl, "file");
  const fileRun = await measure(gatewayTarget(file.url, CHAINS.fast), file.pid).finally(() =>
    file.stop(),
  );
  const dbGw = await startGatewayChild("db-db", upstreamUrl, "db");
  const dbRun = await measure(gatewayTarget(dbGw.url, CHAINS.fast), dbGw.pid).finally(() =>
    dbGw.stop(),
  );
  return {
    name: "db",
    tables: [
      {
        title:
          "db: snapshot load + compile, 200 providers / 500 chains / 10,000 client keys (5 runs)",
        headers: ["p50", "max"],
        rows: [[fmtMs(load.p50), fmtMs(load.max)]],
      },
      {
        title: "db: config write (import + publish) until both replicas serve it, 20 changes",
        headers: ["p50", "max"],
        rows: [[fmtMs(spread.p50), fmtMs(spread.max)]],
      },
      {
        title: `db: gateway latency at ${RATE_HZ} req/s, file mode vs DB mode (same run)`,
        headers: LATENCY_HEADERS,
        rows: [row("file mode", fileRun), row("DB mode", dbRun)],
      },
    ],
    summary: [
      {
        figure: "db: snapshot load (200 providers, 500 chains, 10k keys)",
        value: fmtMs(load.p50),
        target: "-",
      },
      {
        figure: "db: write → all replicas serving, p50 / max",
        value: `${fmtMs(spread.p50)} / ${fmtMs(spread.max)}`,
        target: "~1 s",
      },
      {
        figure: "db: latency p50 file vs DB mode",
        value: `${fmtMs(fileRun.dist.p50)} vs ${fmtMs(dbRun.dist.p50)}`,
        target: "unchanged",
      },
    ],
    figures: {
      snapshotLoadP50Ms: load.p50,
      propagationP50Ms: spread.p50,
      propagationMaxMs: spread.max,
      fileModeP50Ms: fileRun.dist.p50,
      dbModeP50Ms: dbRun.dist.p50,
    },
    notes: ["The write is importConfig + publish, the same calls `429chain config import` makes."],
  };
}
