import { completion, type FakeUpstream, startFakeUpstream } from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../src/env";
import { createGateway, type Gateway } from "../src/gateway";
import { baseConfig, postChat, writeTempConfig } from "./harness";

let upstream: FakeUpstream;
let gateway: Gateway;
let url: string;
let config: { path: string; remove(): void };

beforeAll(async () => {
  upstream = await startFakeUpstream();
  config = writeTempConfig(
    baseConfig({
      providers: [
        {
          id: "free",
          name: "F",
          type: "groq",
          apiKey: "kf",
          baseUrl: `${upstream.url}/free`,
          free: true,
        },
        { id: "paid", name: "P", type: "openai", apiKey: "kp", baseUrl: `${upstream.url}/paid` },
      ],
      chains: [
        {
          name: "budgeted",
          budget: { dailyUsd: 100 },
          entries: [
            { provider: "paid", model: "gpt-4o-mini" },
            { provider: "free", model: "llama-3.1-8b-instant" },
          ],
        },
        { name: "unbudgeted", entries: [{ provider: "paid", model: "gpt-4o-mini" }] },
      ],
    }),
    "spend-down",
  );
  // Nothing listens on port 1: Redis is unreachable from the start.
  gateway = await createGateway(
    readEnv({ CONFIG_PATH: config.path, REDIS_URL: "redis://127.0.0.1:1", LOG_LEVEL: "silent" }),
  );
  url = await gateway.app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await gateway.app.close();
  await gateway.closeResources();
  await upstream.close();
  config.remove();
});

describe("spend budgets with Redis unreachable", () => {
  it("skips a budgeted chain's paid entry (fail closed) and serves its free one", async () => {
    upstream.route("/paid/chat/completions", completion("gpt-4o-mini", "paid"));
    upstream.route("/free/chat/completions", completion("llama", "free"));
    const res = await postChat(url, { model: "budgeted" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-429chain-entry")).toBe("free/llama-3.1-8b-instant");
    expect(upstream.hits("/paid/chat/completions")).toBe(0);
  });

  it("still serves a paid entry of a chain without a budget", async () => {
    const res = await postChat(url, { model: "unbudgeted" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-429chain-entry")).toBe("paid/gpt-4o-mini");
  });
});
