import { listRequestLogs, statsOverview } from "@429chain/db";
import {
  completion,
  openaiRateLimited,
  REDIS_BACKENDS,
  type TestStack,
  waitFor,
} from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postChat, TEST_KEY, upstreamConfig, writeTempConfig } from "./harness";
import { inProcessWorker, startGatewayStack } from "./test-stack";

describe.each(REDIS_BACKENDS)(
  "gateway → queue → worker → Postgres on %s",
  (_name, redisUrl, open) => {
    let stack: TestStack;

    beforeAll(async () => {
      stack = await startGatewayStack({
        label: "gw_logs",
        redis: { url: redisUrl, open },
        worker: (parts) => inProcessWorker(parts),
        gateways: ({ upstream, defer }) => {
          const config = writeTempConfig(upstreamConfig(upstream.url), "logs");
          defer(() => config.remove());
          return [{ CONFIG_PATH: config.path }];
        },
      });
    }, 60_000);

    afterAll(async () => {
      await stack?.stop();
    });

    it("records every request once, with every attempt, and the rollups count them", async () => {
      const { upstream, db } = stack;
      const gateway = stack.gateways[0]!;
      upstream.route("/a/chat/completions", openaiRateLimited({ retryAfterS: 30 }));
      upstream.route(
        "/b/chat/completions",
        completion("m", "ok", { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 }),
      );
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await postChat(gateway.url, { model: "ab" });
        expect(res.status).toBe(200);
        ids.push(res.headers.get("x-request-id") ?? "");
      }
      const rejected = await postChat(gateway.url, { model: "ab", messages: [] });
      expect(rejected.status).toBe(400);
      ids.push(rejected.headers.get("x-request-id") ?? "");

      const all = async () => (await listRequestLogs(db.db, { limit: 100 })).items;
      await waitFor(async () => (await all()).length === 5, { timeoutMs: 10_000, intervalMs: 100 });
      const logs = await all();
      expect(new Set(logs.map((l) => l.requestId))).toEqual(new Set(ids));
      const first = logs.find((l) => l.requestId === ids[0]);
      expect(first?.attempts.map((a) => [a.provider, a.outcome])).toEqual([
        ["a", "rate_limited"],
        ["b", "ok"],
      ]);
      expect(first).toMatchObject({
        outcome: "ok",
        provider: "b",
        promptTokens: 7,
        completionTokens: 3,
      });
      const second = logs.find((l) => l.requestId === ids[1]);
      expect(second?.attempts.map((a) => a.outcome)).toEqual(["skipped_cooldown", "ok"]);
      expect(logs.find((l) => l.requestId === ids[4])).toMatchObject({
        outcome: "rejected",
        httpStatus: 400,
      });

      const overview = await statsOverview(db.db, {
        from: new Date(Date.now() - 3_600_000),
        to: new Date(Date.now() + 60_000),
      });
      expect(overview.requests).toBe(5);
      expect(logs.every((l) => !JSON.stringify(l).includes(TEST_KEY))).toBe(true);
    });
  },
);
