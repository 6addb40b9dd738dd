import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type ConfigInput, configChangedChannel } from "@429chain/contracts";
import { createClientKey, listClientKeys, revokeClientKey } from "@429chain/db";
import {
  completion,
  type FakeUpstream,
  REDIS_BACKENDS,
  startFakeUpstream,
  type TestRedis,
  waitFor,
} from "@429chain/testing";
import { sql } from "drizzle-orm";
import type { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "./db-fixture";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process";
import { baseConfig, postChat, TEST_KEY } from "./harness";

/**
 * How long a change may take to reach both replicas before the test fails. The replicas poll
 * only every 60 s here, so arriving at all proves the pub/sub push; how fast it arrives is a
 * benchmark figure (`pnpm bench db`), not something to assert on a loaded CI machine.
 */
const PUSH_WAIT_MS = 15_000;

describe.each(REDIS_BACKENDS)("gateway in DB mode, two replicas, %s", (_name, redisUrl, open) => {
  let upstream: FakeUpstream;
  let redis: TestRedis<Redis | Cluster>;
  let db: TestDb;
  let replicas: GatewayProcess[];
  let config: ConfigInput;
  let tempDir: string | undefined;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    redis = await open("dbmode");
    db = await createTestDb("gw_dbmode");
    config = baseConfig({
      providers: [
        {
          id: "a",
          name: "A",
          type: "openai",
          apiKey: "sk-upstream-a",
          baseUrl: `${upstream.url}/a`,
        },
        {
          id: "b",
          name: "B",
          type: "openai",
          apiKey: "sk-upstream-b",
          baseUrl: `${upstream.url}/b`,
        },
      ],
      chains: [
        {
          name: "ab",
          entries: [
            { provider: "a", model: "m" },
            { provider: "b", model: "m" },
          ],
        },
        { name: "b-only", entries: [{ provider: "b", model: "m" }] },
      ],
    });
    await db.importConfig(config);
    const env = {
      DATABASE_URL: db.url,
      MASTER_KEY: db.masterKeyText,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: redis.prefix,
      // Long poll: changes must arrive through pub/sub.
      CONFIG_POLL_MS: "60000",
      LOG_LEVEL: "warn",
    };
    replicas = await Promise.all([
      startGatewayProcess({ env: { ...env, REPLICA_ID: "db1" } }),
      startGatewayProcess({ env: { ...env, REPLICA_ID: "db2" } }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((r) => r.stop()));
    await upstream?.close();
    await redis?.cleanup();
    await db?.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  });

  const CLI = fileURLToPath(new URL("../../cli/bin/429chain.mjs", import.meta.url));

  /** Runs `429chain …` against this file's database and Redis prefix; resolves on exit 0. */
  async function runCli(args: string[]): Promise<string> {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: db.url,
        MASTER_KEY: db.masterKeyText,
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: redis.prefix,
      },
    });
    return stdout;
  }

  let written = 0;
  async function writeTemp(content: ConfigInput): Promise<string> {
    tempDir ??= await mkdtemp(join(tmpdir(), "429chain-cli-"));
    const file = join(tempDir, `config-${written++}.yaml`);
    await writeFile(file, JSON.stringify(content));
    return file;
  }

  async function publishChange(version: number) {
    await redis.redis.publish(configChangedChannel(redis.prefix), String(version));
  }

  /** Publishes a write and waits until every replica serves that config version. */
  async function publishAndWait(version: number) {
    await publishChange(version);
    for (const r of replicas) {
      await waitFor(
        async () =>
          ((await (await fetch(`${r.url}/ready`)).json()) as { configVersion: number })
            .configVersion >= version,
        { timeoutMs: PUSH_WAIT_MS },
      );
    }
  }

  async function servedBy(replica: GatewayProcess, model: string, key = TEST_KEY) {
    const res = await postChat(replica.url, { model }, { key });
    return res.status === 200 ? res.headers.get("x-429chain-provider") : `status ${res.status}`;
  }

  it("serves the config stored in Postgres", async () => {
    for (const r of replicas) expect(await servedBy(r, "ab")).toBe("a/m");
  });

  it("serves a chain reordered in the database on both replicas within a second", async () => {
    const reordered = structuredClone(config);
    reordered.chains[0]?.entries.reverse();
    await publishChange(await db.importConfig(reordered));
    for (const r of replicas) {
      await waitFor(async () => (await servedBy(r, "ab")) === "b/m", { timeoutMs: PUSH_WAIT_MS });
    }
    await publishChange(await db.importConfig(config));
    for (const r of replicas) {
      await waitFor(async () => (await servedBy(r, "ab")) === "a/m", { timeoutMs: PUSH_WAIT_MS });
    }
  });

  it("serves a chain reordered through the CLI on both replicas within a second of the write", async () => {
    const reordered = structuredClone(config);
    reordered.chains[0]?.entries.reverse();
    await runCli(["config", "import", await writeTemp(reordered)]);
    for (const r of replicas) {
      await waitFor(async () => (await servedBy(r, "ab")) === "b/m", { timeoutMs: PUSH_WAIT_MS });
    }
    await runCli(["config", "import", await writeTemp(config)]);
    for (const r of replicas) {
      await waitFor(async () => (await servedBy(r, "ab")) === "a/m", { timeoutMs: PUSH_WAIT_MS });
    }
  });

  it("enforces a key's allowed chains and its revocation", async () => {
    const created = await createClientKey(
      db.handle.db,
      { name: "only-b", chains: ["b-only"] },
      "test",
    );
    await publishAndWait(created.version);
    const [r1, r2] = replicas as [GatewayProcess, GatewayProcess];
    expect(await servedBy(r1, "b-only", created.key)).toBe("b/m");
    expect(await servedBy(r2, "ab", created.key)).toBe("status 403");
    await revokeClientKey(db.handle.db, created.record.id, "test");
    await publishChange(0);
    for (const r of replicas) {
      await waitFor(async () => (await servedBy(r, "b-only", created.key)) === "status 401", {
        timeoutMs: PUSH_WAIT_MS,
      });
    }
  });

  it("shows a key limited to some chains only those chains and their entries", async () => {
    const created = await createClientKey(
      db.handle.db,
      { name: "scoped", chains: ["b-only"] },
      "test",
    );
    await publishAndWait(created.version);
    const [r1] = replicas as [GatewayProcess, GatewayProcess];
    const auth = { authorization: `Bearer ${created.key}` };
    const models = (await (await fetch(`${r1.url}/v1/models`, { headers: auth })).json()) as {
      data: Array<{ id: string }>;
    };
    expect(models.data.map((m) => m.id)).toEqual(["b-only", "b/m"]);
    const limits = (await (await fetch(`${r1.url}/v1/ratelimits`, { headers: auth })).json()) as {
      data: Array<{ provider: string }>;
      chains: Array<{ name: string }>;
    };
    expect(limits.chains.map((c) => c.name)).toEqual(["b-only"]);
    expect(limits.data.map((s) => s.provider)).toEqual(["b"]);
  });

  it("holds a key's token budget under parallel requests on both replicas", async () => {
    // Each request is estimated at ~13 prompt tokens + max_tokens 400: a budget of 1,000
    // admits the requests that find it not yet reserved, never all twelve.
    const created = await createClientKey(
      db.handle.db,
      { name: "parallel", dailyTokens: 1_000 },
      "test",
    );
    await publishAndWait(created.version);
    // Admitted requests are held a while upstream, so all twelve are admitted or refused
    // before the first one's usage is known.
    upstream.setDefault("/a/chat/completions", { ...completion("m", "ok"), delayMs: 1_500 });
    try {
      const answered = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          postChat(
            (replicas[i % 2] as GatewayProcess).url,
            { model: "ab", max_tokens: 400 },
            { key: created.key },
          ).then((r) => r.status),
        ),
      );
      const admitted = answered.filter((s) => s !== 429).length;
      expect(admitted).toBeGreaterThanOrEqual(1);
      expect(admitted).toBeLessThanOrEqual(3);
    } finally {
      upstream.reset();
    }
  });

  it("enforces a key's requests per minute across both replicas, without trying an upstream", async () => {
    const created = await createClientKey(db.handle.db, { name: "rpm-2", rpm: 2 }, "test");
    await publishAndWait(created.version);
    const [r1, r2] = replicas as [GatewayProcess, GatewayProcess];
    expect(await servedBy(r1, "ab", created.key)).toBe("a/m");
    const hitsBefore = upstream.hits("/a/chat/completions");
    expect(await servedBy(r2, "ab", created.key)).toBe("a/m");
    const minuteBefore = Math.floor(Date.now() / 60_000);
    const limited = await postChat(r1.url, { model: "ab" }, { key: created.key });
    // The minute may have turned between the calls; then the limit starts over. Within one
    // minute the third request must be refused.
    if (Math.floor(Date.now() / 60_000) === minuteBefore) expect(limited.status).toBe(429);
    if (limited.status === 429) {
      expect(((await limited.json()) as { error: { code: string } }).error.code).toBe(
        "key_rate_limited",
      );
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(upstream.hits("/a/chat/completions")).toBe(hitsBefore + 1);
    } else {
      expect(limited.status).toBe(200);
    }
  });

  it("refuses a key whose daily token budget is used up", async () => {
    const created = await createClientKey(db.handle.db, { name: "tiny", dailyTokens: 1 }, "test");
    await publishAndWait(created.version);
    const [r1, r2] = replicas as [GatewayProcess, GatewayProcess];
    expect(await servedBy(r1, "ab", created.key)).toBe("a/m");
    await waitFor(async () => (await servedBy(r2, "ab", created.key)) === "status 429", {
      timeoutMs: PUSH_WAIT_MS,
    });
    const res = await postChat(r2.url, { model: "ab" }, { key: created.key });
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      "key_budget_exceeded",
    );
  });

  it("never writes a provider key or a client key to its logs", async () => {
    const created = await createClientKey(db.handle.db, { name: "log-check" }, "test");
    await publishAndWait(created.version);
    for (const r of replicas) expect(await servedBy(r, "ab", created.key)).toBe("a/m");
    await postChat(replicas[0]!.url, { model: "ab" }, { key: "sk-wrong-key" });
    for (const r of replicas) {
      const out = r.output();
      for (const secret of [
        "sk-upstream-a",
        "sk-upstream-b",
        created.key,
        TEST_KEY,
        db.masterKeyText,
      ]) {
        expect(out).not.toContain(secret);
      }
    }
  });

  it("records when a key was last used, off the request path", async () => {
    const created = await createClientKey(db.handle.db, { name: "used" }, "test");
    await publishAndWait(created.version);
    expect(await servedBy(replicas[1]!, "ab", created.key)).toBe("a/m");
    const lastUsed = async () =>
      (await listClientKeys(db.handle.db)).find((k) => k.id === created.record.id)?.lastUsedAt;
    await waitFor(async () => (await lastUsed()) != null, { timeoutMs: 8000, intervalMs: 250 });
  });

  it("rejects a snapshot broken behind the schema's back and keeps serving the old one", async () => {
    const before = await Promise.all(
      replicas.map(
        async (r) => (await (await fetch(`${r.url}/ready`)).json()) as { configVersion: number },
      ),
    );
    await db.handle.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(sql`DELETE FROM providers WHERE id = 'b'`);
      await tx.execute(sql`UPDATE config_version SET version = version + 1`);
    });
    await publishChange(0);
    // Both replicas try the broken snapshot (on the message) and keep the old one.
    for (const [i, r] of replicas.entries()) {
      await waitFor(() => r.output().includes("config in the database rejected"), {
        timeoutMs: PUSH_WAIT_MS,
      });
      const ready = (await (await fetch(`${r.url}/ready`)).json()) as { configVersion: number };
      expect(ready.configVersion).toBe(before[i]?.configVersion);
      expect(await servedBy(r, "b-only")).toBe("b/m");
    }
  });
});
