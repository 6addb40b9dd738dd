import type { RequestLogBatch } from "@429chain/contracts";
import { bullPrefix, REQUEST_LOGS_QUEUE } from "@429chain/queue";
import {
  completion,
  createTestRedis,
  type FakeUpstream,
  startFakeUpstream,
  TEST_REDIS_URL,
  type TestRedis,
} from "@429chain/testing";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayProcess } from "./gateway-process";
import { postChat, upstreamConfig, writeTempConfig } from "./harness";

let upstream: FakeUpstream;
let redis: TestRedis;
let config: { path: string; remove(): void };

beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.route("/a/chat/completions", completion("m", "ok"));
  redis = await createTestRedis("gwlogsoff");
  config = writeTempConfig(upstreamConfig(upstream.url, ["a"]), "logs-off");
});

afterAll(async () => {
  await upstream?.close();
  await redis?.cleanup();
  config?.remove();
});

/**
 * Runs a gateway process with REQUEST_LOGS set, sends three requests (one rejected), stops it
 * gracefully — which flushes the log buffer — and returns what its queue holds.
 */
async function queuedAfterTraffic(logs: "on" | "off") {
  const prefix = `${redis.prefix}${logs}:`;
  const gateway = await startGatewayProcess({
    env: {
      CONFIG_PATH: config.path,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      REQUEST_LOGS: logs,
      LOG_LEVEL: "warn",
    },
  });
  const ids: string[] = [];
  const statuses: number[] = [];
  try {
    for (const body of [{ model: "a" }, { model: "a" }, { model: "a", messages: [] }]) {
      const res = await postChat(gateway.url, body);
      await res.body?.cancel();
      statuses.push(res.status);
      ids.push(res.headers.get("x-request-id") ?? "");
    }
  } finally {
    expect(await gateway.stop()).toBe(0);
  }
  // Read before opening a Queue here: BullMQ writes the queue's meta key when it connects.
  const queueKeys = await redis.redis.keys(`${prefix}${REQUEST_LOGS_QUEUE}*`);
  const queue = new Queue<RequestLogBatch>(REQUEST_LOGS_QUEUE, {
    connection: { url: TEST_REDIS_URL, maxRetriesPerRequest: 1 },
    prefix: bullPrefix(prefix),
  });
  try {
    const jobs = await queue.getJobs(["waiting", "active", "delayed", "failed", "completed"]);
    return {
      ids,
      statuses,
      queuedIds: jobs.flatMap((j) => j.data.logs.map((l) => l.requestId)).sort(),
      queueKeys,
    };
  } finally {
    await queue.close();
  }
}

describe("REQUEST_LOGS (gateway process, real Redis)", () => {
  it("on: every request, rejected ones included, reaches the request-logs queue", async () => {
    const { ids, statuses, queuedIds } = await queuedAfterTraffic("on");
    expect(statuses).toEqual([200, 200, 400]);
    expect(queuedIds).toEqual([...ids].sort());
  }, 60_000);

  it("off: the gateway serves requests and writes nothing to the request-logs queue", async () => {
    const { ids, statuses, queuedIds, queueKeys } = await queuedAfterTraffic("off");
    expect(statuses).toEqual([200, 200, 400]);
    expect(ids.filter(Boolean)).toHaveLength(3);
    expect(queuedIds).toEqual([]);
    expect(queueKeys).toEqual([]);
  }, 60_000);
});
