import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConfigInput, RequestLogJob } from "@429chain/contracts";
import type { RequestLogSink } from "@429chain/queue";
import {
  deleteKeys,
  type FakeUpstream,
  startFakeUpstream,
  TEST_REDIS_URL,
  uniquePrefix,
} from "@429chain/testing";
import { Redis } from "ioredis";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll } from "vitest";
import { readEnv } from "../src/env";
import { createGateway, type Gateway, type GatewayOverrides } from "../src/gateway";

export const TEST_KEY = "sk-test-client-key";

/** A log sink that keeps every job it is given, for asserting on request logs. */
export function capturingSink(): RequestLogSink & { jobs: RequestLogJob[] } {
  const jobs: RequestLogJob[] = [];
  return {
    jobs,
    enqueue: (job) => void jobs.push(job),
    flush: async () => {},
    close: async () => {},
    stats: () => ({ buffered: 0, dropped: 0, sent: jobs.length }),
  };
}

export interface TestGateway {
  url: string;
  gateway: Gateway;
  configPath: string;
  prefix: string;
  /** Rewrites the config file (JSON is YAML) and waits for the reload. */
  writeConfig(config: ConfigInput): Promise<void>;
  openai(key?: string): OpenAI;
  close(): Promise<void>;
}

/** A minimal valid v1 config, overridable per test. */
export function baseConfig(overrides: {
  providers: ConfigInput["providers"];
  chains: ConfigInput["chains"];
  settings?: Partial<ConfigInput["settings"]>;
}): ConfigInput {
  return {
    version: 1,
    ...overrides,
    settings: {
      apiKeys: [TEST_KEY],
      defaultChain: overrides.chains[0]?.name ?? "default",
      ...overrides.settings,
    },
  } as ConfigInput;
}

/**
 * One openai-type provider per id on the fake upstream (base URL `<upstream>/<id>`, API key
 * `k<id>`, name the id in capitals), each with `extra`.
 */
export function upstreamProviders(
  upstreamUrl: string,
  ids: readonly string[],
  extra: Partial<ConfigInput["providers"][number]> = {},
): ConfigInput["providers"] {
  return ids.map((id) => ({
    id,
    name: id.toUpperCase(),
    type: "openai" as const,
    apiKey: `k${id}`,
    baseUrl: `${upstreamUrl}/${id}`,
    ...extra,
  })) as ConfigInput["providers"];
}

/**
 * upstreamProviders of `ids` and one chain over them in that order, named after the ids
 * joined ("ab").
 */
export function upstreamConfig(
  upstreamUrl: string,
  ids: readonly string[] = ["a", "b"],
  chain = ids.join(""),
): ConfigInput {
  return baseConfig({
    providers: upstreamProviders(upstreamUrl, ids),
    chains: [{ name: chain, entries: ids.map((provider) => ({ provider, model: "m" })) }],
  });
}

/**
 * A free-tier groq provider "free" (priced 0) and a paid openai-type one, id `paidId`, both on
 * the fake upstream under `/<id>`: what the spend-budget and cost tests chain.
 */
export function freeAndPaidProviders(
  upstreamUrl: string,
  paidId = "paid",
): ConfigInput["providers"] {
  return [
    {
      id: "free",
      name: "Free tier",
      type: "groq",
      apiKey: "kf",
      baseUrl: `${upstreamUrl}/free`,
      free: true,
    },
    {
      id: paidId,
      name: "Paid",
      type: "openai",
      apiKey: `k${paidId}`,
      baseUrl: `${upstreamUrl}/${paidId}`,
    },
  ] as ConfigInput["providers"];
}

/** What the gateway's REDIS_URL points at when a test wants Redis unreachable from the start. */
export const UNREACHABLE_REDIS = { REDIS_URL: "redis://127.0.0.1:1" };

/** `config` written to config.yaml (JSON is YAML) in a fresh temp directory. */
export function writeTempConfig(
  config: ConfigInput,
  label = "gw",
): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `429chain-${label}-`));
  const path = join(dir, "config.yaml");
  writeFileSync(path, JSON.stringify(config, null, 2));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real listening gateway (in this process) on a temp config file, optionally with Redis. */
export async function startTestGateway(
  config: ConfigInput,
  opts: {
    redis?: boolean;
    prefix?: string;
    label?: string;
    env?: Record<string, string>;
    overrides?: GatewayOverrides;
  } = {},
): Promise<TestGateway> {
  const file = writeTempConfig(config);
  const configPath = file.path;
  const prefix = opts.prefix ?? uniquePrefix(opts.label ?? "gw");
  const env = readEnv({
    CONFIG_PATH: configPath,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    REPLICA_ID: "test",
    ...(opts.redis ? { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix } : {}),
    ...opts.env,
  });
  const gateway = await createGateway(env, undefined, opts.overrides);
  const url = await gateway.app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url,
    gateway,
    configPath,
    prefix,
    async writeConfig(next) {
      const before = gateway.config.current().version;
      writeFileSync(configPath, JSON.stringify(next, null, 2));
      await gateway.config.reload();
      if (gateway.config.current().version === before) throw new Error("config was not reloaded");
    },
    openai(key = TEST_KEY) {
      return new OpenAI({ apiKey: key, baseURL: `${url}/v1`, maxRetries: 0 });
    },
    async close() {
      await gateway.app.close();
      await gateway.closeResources();
      if (opts.redis) {
        const redis = new Redis(TEST_REDIS_URL);
        await deleteKeys(redis, prefix);
        redis.disconnect();
      }
      file.remove();
    },
  };
}

/** POSTs a chat request with the test key (or `key`), as curl would. */
export function postChat(
  baseUrl: string,
  body: Record<string, unknown>,
  opts: { key?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(`${baseUrl}/v1/chat/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${opts.key ?? TEST_KEY}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], ...body }),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

/** Forgets cooldowns, breaker state and windows of every entry, between tests. */
export async function clearEntryState(gw: TestGateway): Promise<void> {
  for (const e of gw.gateway.config.current().entries)
    await gw.gateway.quota.clearCooldown(e.policy);
}

export interface GatewayFixture {
  readonly upstream: FakeUpstream;
  readonly gw: TestGateway;
}

/**
 * Registers the usual hooks of a gateway test file: a fake upstream and a gateway on the config
 * `makeConfig` builds from the upstream's URL; routes, hits and entry state are reset after each
 * test; both are closed at the end.
 */
export function useTestGateway(
  makeConfig: (upstreamUrl: string) => ConfigInput,
  opts: { redis?: boolean; env?: Record<string, string> } = {},
): GatewayFixture {
  let upstream: FakeUpstream | undefined;
  let gw: TestGateway | undefined;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gw = await startTestGateway(makeConfig(upstream.url), opts);
  });
  afterEach(async () => {
    upstream?.reset();
    if (gw) await clearEntryState(gw);
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });
  return {
    get upstream() {
      if (!upstream) throw new Error("fixture used outside a test");
      return upstream;
    },
    get gw() {
      if (!gw) throw new Error("fixture used outside a test");
      return gw;
    },
  };
}
