import { statsOverview } from "@429chain/db";
import {
  completion,
  type ReceivedRequest,
  streamed,
  type TestStack,
  usageFor,
  waitFor,
} from "@429chain/testing";
import { sql } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_KEY, upstreamConfig, writeTempConfig } from "./harness";
import { type InProcessWorker, inProcessWorker, startGatewayStack } from "./test-stack";

const OUTAGE_MS = 30_000;

let stack: TestStack<InProcessWorker>;

beforeAll(async () => {
  // Its own Postgres server, which the test stops; the gateway reads a config file.
  stack = await startGatewayStack({
    label: "pgout",
    postgres: "server",
    async prepare({ upstream }) {
      upstream.route("/a/chat/completions", (req: ReceivedRequest) =>
        (req.body as { stream?: boolean }).stream
          ? streamed("m", ["hello", " there"], { usage: usageFor("hello there") })
          : completion("m", "hello there"),
      );
    },
    worker: (parts) => inProcessWorker(parts),
    gateways: ({ upstream, defer }) => {
      const config = writeTempConfig(upstreamConfig(upstream.url, ["a"], "c"), "pgout");
      defer(() => config.remove());
      return [{ CONFIG_PATH: config.path }];
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
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
  const result = (await stack.db.db.execute(sql.raw(query))) as unknown as {
    rows: { n: string | number }[];
  };
  return Number(result.rows[0]?.n);
}

describe("Postgres stopped for 30 s under traffic", () => {
  it(
    "serves throughout, and afterwards every request is in the log once and the totals are right",
    async () => {
      const postgres = stack.postgres!;
      const worker = stack.worker!;
      const traffic = drive(stack.gateways[0]!.url);
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
      const overview = await statsOverview(stack.db.db, {
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
