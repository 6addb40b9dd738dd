import {
  createSession,
  createUser,
  deleteAllSessionsOfUser,
  importConfig,
  isSessionLive,
  masterKeyFromBytes,
  setUserDisabled,
  validateSession,
} from "@429chain/db";
import { type OpenTestDb, openTestDb } from "@429chain/db/testing";
import { createRedisQuotaStore, createRedisStateReader } from "@429chain/quota";
import { TEST_COOLDOWN_POLICY } from "@429chain/quota/contract";
import { createTestRedis, type TestRedis } from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveEntry, LiveState } from "./live-state";
import { createLiveStateReader } from "./live-state";
import { createLiveStateHub, type LiveStateHub } from "./live-state-hub";
import { observeConfig, viewer } from "./observe-fixtures";
import { SESSION_ENDED } from "./rate-limit-stream";
import { createRateLimitStreamHandler, LIVE_STATE_UNAVAILABLE } from "./rate-limit-stream-handler";

interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads server-sent events off a response body, one at a time. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(): Promise<SseEvent | null> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = frame.split("\n");
          const event = lines.find((l) => l.startsWith("event: "))?.slice(7);
          const data = lines.find((l) => l.startsWith("data: "))?.slice(6);
          if (event && data) return { event, data: JSON.parse(data) };
          continue; // retry: and heartbeat comments
        }
        const { value, done } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
  };
}

describe("rate-limit SSE stream (postgres + redis)", () => {
  let t: OpenTestDb;
  let r: TestRedis;
  let hub: LiveStateHub;
  const request = (signal?: AbortSignal) =>
    new Request("http://127.0.0.1:3431/api/ratelimits/stream", { signal });

  beforeAll(async () => {
    t = await openTestDb("postgres", "admin_ratelimit_stream");
    r = await createTestRedis("admin-ratelimit-stream");
    await importConfig(t.db, observeConfig(), {
      masterKey: masterKeyFromBytes(Buffer.alloc(32, 7)),
      actor: "test",
    });
    const live = createLiveStateReader({
      db: t.db,
      quota: createRedisStateReader({ redis: r.redis, prefix: r.prefix }),
    });
    hub = createLiveStateHub({ read: live.read, intervalMs: 20 });
  });
  afterAll(async () => {
    await r.cleanup();
    await t.cleanup();
  });

  it("sends the state on connect, then only the entry a gateway put in cooldown", async () => {
    const handler = createRateLimitStreamHandler({
      session: async () => viewer,
      isLive: async () => true,
      hub: async () => hub,
      heartbeatMs: 60_000,
    });
    const disconnect = new AbortController();
    const response = await handler(request(disconnect.signal));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = sseReader(response.body!);

    const first = await events.next();
    expect(first?.event).toBe("snapshot");
    const snapshot = first?.data as LiveState;
    expect(snapshot.kind === "ok" && snapshot.entries.map((e) => e.status)).toEqual([
      "available",
      "available",
    ]);

    const gateway = createRedisQuotaStore({ redis: r.redis, prefix: r.prefix });
    const acquired = await gateway.acquire({
      entries: [{ provider: "groq-free", model: "llama", headerScope: "entry" }],
      estimatedTokens: 0,
      leaseTtlMs: 30_000,
    });
    if (!acquired.ok) throw new Error("not acquired");
    const retryAt = Date.now() + 90_000;
    const { cooldownUntil } = await gateway.settle(acquired.lease, {
      outcome: { kind: "rate_limited", scope: "entry", retryAt, reason: "429" },
      windows: [],
      // Keeps the 90 s Retry-After (the contract's policy caps cooldowns at 8 s).
      policy: { ...TEST_COOLDOWN_POLICY, rateLimitMaxMs: 600_000 },
    });

    // The lease itself may show up first (in flight); wait for the cooldown.
    let changed: LiveEntry[] = [];
    while (!changed.some((e) => e.status === "cooling_down")) {
      const event = await events.next();
      if (event === null) throw new Error("the stream ended early");
      changed = event.event === "update" ? (event.data as { entries: LiveEntry[] }).entries : [];
    }
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({
      label: "groq-free/llama",
      status: "cooling_down",
      cooldownUntil,
    });

    disconnect.abort();
    expect(await events.next()).toBeNull();
    expect(hub.size()).toBe(0);
  });

  it("refuses a request without a session", async () => {
    const handler = createRateLimitStreamHandler({
      session: async () => null,
      isLive: async () => true,
      hub: async () => hub,
      heartbeatMs: 60_000,
    });
    const response = await handler(request());
    expect(response.status).toBe(401);
  });

  it("explains that live state needs Redis or a gateway's control API", async () => {
    const handler = createRateLimitStreamHandler({
      session: async () => viewer,
      isLive: async () => true,
      hub: async () => null,
      heartbeatMs: 60_000,
    });
    const response = await handler(request());
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: LIVE_STATE_UNAVAILABLE });
  });

  describe("re-checks the session on each heartbeat", () => {
    const IDLE_MS = 3_600_000;
    const cases = [
      ["logs out everywhere", "out", (id: string) => deleteAllSessionsOfUser(t.db, id)],
      ["is disabled", "disabled", (id: string) => setUserDisabled(t.db, id, true, "test")],
    ] as const;

    beforeAll(async () => {
      // The last enabled admin cannot be disabled: the viewers below never are that.
      const root = {
        email: "root@example.com",
        password: "root password 1",
        role: "admin" as const,
      };
      await createUser(t.db, root, "test");
    });

    it.each(cases)("ends an open stream when its user %s", async (_how, label, end) => {
      const user = await createUser(
        t.db,
        { email: `watcher-${label}@example.com`, password: "watcher password", role: "viewer" },
        "test",
      );
      const { token } = await createSession(t.db, { userId: user.id, maxAgeMs: IDLE_MS });
      const handler = createRateLimitStreamHandler({
        session: () => validateSession(t.db, token, IDLE_MS),
        isLive: (s) => isSessionLive(t.db, s.sessionId, IDLE_MS),
        hub: async () => hub,
        heartbeatMs: 20,
      });
      const response = await handler(request());
      expect(response.status).toBe(200);
      const events = sseReader(response.body!);
      expect((await events.next())?.event).toBe("snapshot");

      await end(user.id);
      let last: SseEvent | null = null;
      for (let event = await events.next(); event !== null; event = await events.next()) {
        last = event;
      }
      expect(last).toEqual({ event: "ended", data: { error: SESSION_ENDED } });
      expect(hub.size()).toBe(0);
    });
  });
});
