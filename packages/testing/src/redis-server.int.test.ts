import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisServer, startRedisServer } from "./redis-server";

let server: RedisServer;
let client: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  // Fail fast instead of queueing, so each step sees the server's state as it is.
  client = new Redis(server.url, {
    commandTimeout: 500,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 50,
  });
  client.on("error", () => {});
});
afterAll(async () => {
  client?.disconnect();
  await server?.stop();
});

function ready(redis: Redis): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve) => redis.once("ready", () => resolve()));
}

describe("startRedisServer", () => {
  it("serves on its own port, not the shared 6379", async () => {
    await ready(client);
    expect(server.port).not.toBe(6379);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    await client.set("k", "v");
    expect(await client.get("k")).toBe("v");
  });

  it("freeze stops it answering with the connection open; thaw makes it answer again", async () => {
    await ready(client);
    server.freeze();
    const pending = client.get("k");
    await expect(pending).rejects.toThrow(/timed out/i);
    expect(client.status).toBe("ready");
    server.thaw();
    expect(await client.get("k")).toBe("v");
  });

  it("kill cuts the connection; restart serves an empty server on the same port", async () => {
    await ready(client);
    const before = server.pid;
    const closed = new Promise((resolve) => client.once("close", resolve));
    await server.kill();
    await closed;
    await expect(client.get("k")).rejects.toThrow();
    await server.restart();
    expect(server.pid).not.toBe(before);
    await ready(client);
    expect(await client.get("k")).toBeNull();
  });

  it("stop ends the server", async () => {
    const other = await startRedisServer();
    await other.stop();
    const probe = new Redis(other.url, { lazyConnect: true, retryStrategy: () => null });
    probe.on("error", () => {});
    await expect(probe.connect()).rejects.toThrow();
    probe.disconnect();
    await other.stop();
  });
});
