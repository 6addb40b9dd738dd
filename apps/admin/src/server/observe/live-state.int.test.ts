import { auditLog, importConfig, masterKeyFromBytes } from "@429chain/db";
import { type OpenTestDb, openTestDb } from "@429chain/db/testing";
import {
  createRedisQuotaStore,
  createRedisStateReader,
  type EntryPolicy,
  type QuotaStore,
} from "@429chain/quota";
import { TEST_COOLDOWN_POLICY } from "@429chain/quota/contract";
import { deleteKeys, REDIS_BACKENDS, type TestRedis } from "@429chain/testing";
import type { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearEntryCooldown } from "./clear-cooldown";
import { clearCooldownAction } from "./clear-cooldown-action";
import { createLiveStateReader, type LiveState, type LiveStateReader } from "./live-state";
import { admin, observeConfig, sameOrigin, viewer } from "./observe-fixtures";

// A cooldown keeps the upstream's Retry-After (up to 10 minutes) for the page to show.
const POLICY = { ...TEST_COOLDOWN_POLICY, rateLimitMaxMs: 600_000 };

describe.each(REDIS_BACKENDS)("live rate-limit state (postgres + %s)", (_name, _url, open) => {
  let t: OpenTestDb;
  let r: TestRedis<Redis | Cluster>;
  let gateway: QuotaStore;
  let live: LiveStateReader;
  const quota = () => createRedisStateReader({ redis: r.redis, prefix: r.prefix });

  beforeAll(async () => {
    t = await openTestDb("postgres", "admin_live_state");
    r = await open("admin-live-state");
    gateway = createRedisQuotaStore({ redis: r.redis, prefix: r.prefix });
  });
  afterAll(async () => {
    await r.cleanup();
    await t.cleanup();
  });
  beforeEach(async () => {
    await t.reset();
    await deleteKeys(r.redis, r.prefix);
  });
  beforeEach(async () => {
    await importConfig(t.db, observeConfig(), {
      masterKey: masterKeyFromBytes(Buffer.alloc(32, 7)),
      actor: "test",
    });
    live = createLiveStateReader({ db: t.db, quota: quota() });
  });

  /** What a gateway does when the upstream answers 429 with a retry time. */
  async function rateLimit(entry: EntryPolicy, retryAt: number): Promise<number> {
    const acquired = await gateway.acquire({
      entries: [entry],
      estimatedTokens: 0,
      leaseTtlMs: 30_000,
    });
    if (!acquired.ok) throw new Error("entry not acquirable");
    const settled = await gateway.settle(acquired.lease, {
      outcome: { kind: "rate_limited", scope: "entry", retryAt, reason: "429 from upstream" },
      windows: [],
      policy: POLICY,
    });
    return settled.cooldownUntil!;
  }

  async function policyOf(label: string): Promise<EntryPolicy> {
    const e = (await live.entries())?.find((w) => w.label === label);
    if (!e) throw new Error(`no entry ${label}`);
    return e.policy;
  }

  const entryOf = (state: LiveState, label: string) =>
    state.kind === "ok" ? state.entries.find((e) => e.label === label) : undefined;

  it("lists every enabled entry once, with its chains, as available", async () => {
    const state = await live.read();
    expect(state.kind).toBe("ok");
    if (state.kind !== "ok") return;
    expect(state.entries.map((e) => [e.label, e.chains, e.status])).toEqual([
      ["groq-free/llama", ["fast", "cheap"], "available"],
      ["oai/gpt-4o-mini", ["fast"], "available"],
    ]);
    expect(entryOf(state, "oai/gpt-4o-mini")?.windows[0]).toMatchObject({
      name: "manual:requestsPerMinute",
      remaining: 10,
      limit: 10,
    });
  });

  it("reports a cooldown a gateway's Redis store set, with its end time", async () => {
    const retryAt = Date.now() + 120_000;
    const until = await rateLimit(await policyOf("groq-free/llama"), retryAt);
    expect(until).toBeGreaterThanOrEqual(retryAt);
    const entry = entryOf(await live.read(), "groq-free/llama");
    expect(entry).toMatchObject({ status: "cooling_down", cooldownUntil: until });
    expect(entry?.reason).toContain("429 from upstream");
    expect(entryOf(await live.read(), "oai/gpt-4o-mini")?.status).toBe("available");
  });

  it("says when the database holds no config", async () => {
    await t.reset();
    const empty = createLiveStateReader({ db: t.db, quota: quota() });
    expect((await empty.read()).kind).toBe("no_config");
  });

  it("refuses a viewer's clear-cooldown with 403 and changes nothing", async () => {
    const until = await rateLimit(await policyOf("groq-free/llama"), Date.now() + 120_000);
    const result = await clearCooldownAction.withContext({ session: viewer, headers: sameOrigin })({
      provider: "groq-free",
      model: "llama",
    });
    expect(result).toMatchObject({ ok: false, status: 403 });
    const entry = entryOf(await live.read(), "groq-free/llama");
    expect(entry).toMatchObject({ status: "cooling_down", cooldownUntil: until });
    expect(await t.db.select().from(auditLog)).toHaveLength(1); // the import's entry only
  });

  it("clears an admin's cooldown and audits it", async () => {
    const until = await rateLimit(await policyOf("groq-free/llama"), Date.now() + 120_000);
    const after = await clearEntryCooldown({ db: t.db, quota: quota(), live }, admin.user.email, {
      provider: "groq-free",
      model: "llama",
    });
    expect(after).toMatchObject({ status: "available", cooldownUntil: null });
    expect(entryOf(await live.read(), "groq-free/llama")?.status).toBe("available");
    const rows = (await t.db.select().from(auditLog)).filter(
      (a) => a.action === "ratelimit.clear_cooldown",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: "admin@example.com",
      target: "entry:groq-free/llama",
      configVersion: null,
      before: { status: "cooling_down", cooldownUntil: until },
      after: { status: "available" },
    });
  });

  it("refuses to clear an entry no chain uses", async () => {
    await expect(
      clearEntryCooldown({ db: t.db, quota: quota(), live }, admin.user.email, {
        provider: "oai",
        model: "gpt-4o",
      }),
    ).rejects.toThrow("No enabled chain uses the entry oai/gpt-4o.");
  });
});
