import { once } from "node:events";
import type { Socket } from "node:net";
import { setImmediate as nextTurn } from "node:timers/promises";
import { TEST_REDIS_CLUSTER_URL, TEST_REDIS_URL, uniquePrefix } from "@429chain/testing";
import { afterAll, describe, expect, it } from "vitest";
import { coalesceWrites, writesSent } from "./coalesce-writes";
import { createRedisClient, isCluster, type RedisClient } from "./redis-client";

const prefix = uniquePrefix("coalesce");
const clients: RedisClient[] = [];

async function connect(url: string): Promise<RedisClient> {
  const redis = createRedisClient(url, { role: "api" });
  clients.push(redis);
  if (redis.status !== "ready") await once(redis, "ready");
  // A cluster opens a node's connection on its first command: open them all.
  if (isCluster(redis)) await Promise.all(redis.nodes("master").map((n) => n.ping()));
  return redis;
}

function socketsOf(redis: RedisClient): Socket[] {
  const nodes = isCluster(redis) ? redis.nodes("master") : [redis];
  return nodes.map((n) => (n as unknown as { stream: Socket }).stream);
}

afterAll(() => {
  for (const c of clients) c.disconnect();
});

describe.each([
  ["one server", TEST_REDIS_URL],
  ["cluster", TEST_REDIS_CLUSTER_URL],
])("coalesceWrites on %s", (_name, url) => {
  it("holds this turn's commands in the socket and sends them together when the turn ends", async () => {
    const redis = await connect(url);
    const key = `${prefix}{t}:n`;
    coalesceWrites(redis);
    const replies = Promise.all([redis.incr(key), redis.incr(key), redis.pexpire(key, 60_000)]);
    const held = socketsOf(redis).reduce((n, s) => n + s.writableLength, 0);
    expect(held).toBeGreaterThan(0);
    await nextTurn();
    for (const s of socketsOf(redis)) {
      expect(s.writableCorked).toBe(0);
      expect(s.writableLength).toBe(0);
    }
    expect(await replies).toEqual([1, 2, 1]);
  });

  it("writesSent resolves once what was held has been handed to the sockets", async () => {
    const redis = await connect(url);
    const key = `${prefix}{t}:f`;
    await writesSent(redis); // nothing held: at once
    coalesceWrites(redis);
    let sent = false;
    const leaving = writesSent(redis).then(() => {
      sent = true;
      for (const s of socketsOf(redis)) {
        expect(s.writableCorked).toBe(0);
        expect(s.writableLength).toBe(0);
      }
    });
    const reply = redis.set(key, "1", "PX", 60_000);
    await Promise.resolve();
    expect(sent).toBe(false);
    await leaving;
    expect(await reply).toBe("OK");
    // A later turn corks again: nothing was left behind.
    coalesceWrites(redis);
    expect(socketsOf(redis).every((s) => s.writableCorked === 1)).toBe(true);
    await nextTurn();
    expect(socketsOf(redis).every((s) => s.writableCorked === 0)).toBe(true);
  });
});
