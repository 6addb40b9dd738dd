import { createDb, type DbHandle, migrate, statsOverview } from "@429chain/db";
import { createRedisClient, type RedisClient } from "@429chain/redis";
import {
  completion,
  createTestRedis,
  type FakeUpstream,
  type ReceivedRequest,
  startFakeUpstream,
  startTempPostgres,
  streamed,
  TEST_REDIS_URL,
  type TempPostgres,
  type TestRedis,
  usageFor,
  waitFor,
} from "@429chain/testing";
import { type RunningWorker, startWorker } from "@429chain/worker/start-worker";
import { sql } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process";
import { TEST_KEY, upstreamConfig, writeTempConfig } from "./harness";

const OUTAGE_MS = 30_000;

let postgres: TempPostgres;
let handle: DbHandle;
let upstream: FakeUpstream;
let redis: TestRedis;
let workerRedis: RedisClient;
let worker: RunningWorker;
let gateway: GatewayProcess;
let config: { path: string; remove(): void };

beforeAll(async () => {
  postgres = await startTempPostgres();
  handle = await createDb({ url: postgres.url });
  await migrate(handle);
  upstream = await startFakeUpstream();
  upstream.route("/a/chat/completions", (req: ReceivedRequest) =>
    (req.body as { stream?: boolean }).stream
      ? streamed("m", ["hello", " there"], { usage: usageFor("hello there") })
      : completion("m", "hello there"),
  );
  redis = await createTestRedis("pgout");
  workerRedis = createRedisClient(TEST_REDIS_URL, { role: "worker" });
  worker = await startWorker({
    db: handle.db,
    redis: workerRedis,
    keyPrefix: redis.prefix,
    port: null,
  });
  config = writeTempConfig(upstreamConfig(upstream.url, ["a"], "c"), "pgout");
  gateway = await startGatewayProcess({
    env: {
      CONFIG_PATH: config.path,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: redis.prefix,
      LOG_LEVEL: "warn",
    },
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await worker?.close();
  workerRedis?.disconnect();
  await upstream?.close();
  await handle?.close();
  await postgres?.destroy();
  await redis?.cleanup();
  config?.remove();
});

/** Client traffic through the openai SDK (every third request streamed) until stopped. */
function drive(baseURL: string) {
  const client = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
  const messages = [{ role: "user" as const, content: "hi" }];
  let stopped = false;
  let ok = 0;
  const errors: string[] = [];
  const loop = async (lane: number) => {
    for (let i = lane; !stopped; i += 4) {
      try {
        if (i % 3 === 0) {
          const stream = await client.chat.completions.create({
            model: "c",
            messages,
            stream: true,
          });
          let text = "";
          for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
          if (text !== "hello there") throw new Error(`stream gave ${JSON.stringify(text)}`);
        } else {
          await client.chat.completions.create({ model: "c", messages });
        }
        ok += 1;
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const lanes = [0, 1, 2, 3].map(loop);
  return {
    served: () => ok,
    async stop() {
      stopped = true;
      await Promise.all(lanes);
      return { ok, errors };
    },
  };
}

async function count(query: string): Promise<number> {
  const result = (await handle.db.execute(sql.raw(query))) as unknown as {
    rows: { n: string | number }[];
  };
  return Number(result.rows[0]?.n);
}

describe("Postgres stopped for 30 s under traffic", () => {
  it(
    "serves throughout, and afterwards every request is in the log once and the totals are right",
    async () => {
      const traffic = drive(gateway.url);
      await waitFor(async () => (await count("SELECT count(*) AS n FROM request_logs")) > 0, {
        timeoutMs: 30_000,
        description: "logs flowing before the outage",
      });
      await postgres.stop();
      const servedAtStop = traffic.served();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      const servedDuringOutage = traffic.served() - servedAtStop;
      await postgres.start();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const { ok, errors } = await traffic.stop();

      expect(errors).toEqual([]);
      expect(servedDuringOutage).toBeGreaterThan(100);
      const unavailable = (await worker.metrics.failures.get()).values.find(
        (v) => v.labels.reason === "db_unavailable",
      );
      expect(unavailable?.value ?? 0).toBeGreaterThan(0);

      await waitFor(async () => (await count("SELECT count(*) AS n FROM request_logs")) === ok, {
        timeoutMs: 30_000,
        description: `${ok} request logs`,
      });
      expect(await count("SELECT count(DISTINCT request_id) AS n FROM request_logs")).toBe(ok);
      expect(
        await count("SELECT count(*) AS n FROM request_logs WHERE outcome = 'ok' AND stream"),
      ).toBeGreaterThan(0);
      for (const size of ["minute", "hour", "day"]) {
        expect(
          await count(`SELECT sum(requests) AS n FROM usage_rollups WHERE bucket_size = '${size}'`),
        ).toBe(ok);
      }
      const overview = await statsOverview(handle.db, {
        from: new Date(Date.now() - 3_600_000),
        to: new Date(Date.now() + 60_000),
      });
      expect(overview.requests).toBe(ok);
      expect(await count("SELECT sum(prompt_tokens) AS n FROM request_logs")).toBe(ok * 10);
      expect((await worker.queue.getJobCounts("failed")).failed).toBe(0);
    },
    OUTAGE_MS + 60_000,
  );
});
