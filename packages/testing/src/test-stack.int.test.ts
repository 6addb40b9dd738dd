import { fileURLToPath } from "node:url";
import { createDb, type DbHandle } from "@429chain/db";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { scanKeys, TEST_REDIS_URL } from "./redis";
import { startTestStack } from "./test-stack";

const READY_SERVER = fileURLToPath(new URL("fixtures/ready-server.ts", import.meta.url));
const EXITS_EARLY = fileURLToPath(new URL("fixtures/exits-early.ts", import.meta.url));

async function keysUnder(prefix: string): Promise<string[]> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    return await scanKeys(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

async function query(db: DbHandle, text: string): Promise<void> {
  if (db.driver !== "pg") throw new Error("the stack's database is Postgres");
  await db.pool.query(text);
}

async function databaseAnswers(url: string): Promise<boolean> {
  const db = await createDb({ url });
  try {
    await query(db, "SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await db.close().catch(() => undefined);
  }
}

describe("startTestStack", () => {
  it("starts N gateways after prepare and the worker, and stops them before the worker", async () => {
    const events: string[] = [];
    const stack = await startTestStack({
      label: "stack",
      gatewayEntry: READY_SERVER,
      async prepare({ db, redis }) {
        events.push("prepare");
        await query(db, "SELECT count(*) FROM request_logs");
        await redis.redis.set(`${redis.prefix}seed`, "1");
      },
      worker: async () => {
        events.push("worker");
        return {
          stop: async () => {
            events.push(`worker stopped, gateways up: ${await answers(stack.gateways)}`);
          },
        };
      },
      gateways: () => [{ MARKER: "g1" }, { MARKER: "g2" }],
    });
    const markers = await Promise.all(
      stack.gateways.map(
        async (g) => ((await (await fetch(g.url)).json()) as { marker: string }).marker,
      ),
    );
    expect(markers).toEqual(["g1", "g2"]);
    expect(events).toEqual(["prepare", "worker"]);
    const { prefix } = stack.redis;
    expect(await keysUnder(prefix)).toEqual([`${prefix}seed`]);

    expect(await databaseAnswers(stack.databaseUrl)).toBe(true);

    await stack.stop();
    expect(events.at(-1)).toBe("worker stopped, gateways up: 0");
    expect(await keysUnder(prefix)).toEqual([]);
    expect(await databaseAnswers(stack.databaseUrl)).toBe(false);
  });

  it("cleans up what it started when a gateway does not start", async () => {
    let databaseUrl = "";
    let workerStopped = false;
    await expect(
      startTestStack({
        label: "stack_fail",
        gatewayEntry: EXITS_EARLY,
        async prepare(parts) {
          databaseUrl = parts.databaseUrl;
        },
        worker: async () => ({
          stop: async () => {
            workerStopped = true;
          },
        }),
      }),
    ).rejects.toThrow(/exited early/);
    expect(workerStopped).toBe(true);
    expect(await databaseAnswers(databaseUrl)).toBe(false);
  });
});

/** How many of the processes still answer. */
async function answers(processes: { url: string }[]): Promise<number> {
  const up = await Promise.all(
    processes.map((p) =>
      fetch(p.url, { signal: AbortSignal.timeout(1_000) }).then(
        () => true,
        () => false,
      ),
    ),
  );
  return up.filter(Boolean).length;
}
