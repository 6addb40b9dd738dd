import {
  completion,
  type FakeUpstream,
  openaiRateLimited,
  startFakeUpstream,
} from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../src/env";
import { createGateway, type Gateway } from "../src/gateway";
import { postChat, upstreamConfig, writeTempConfig } from "./harness";

let upstream: FakeUpstream;
let gateway: Gateway;
let url: string;
let config: { path: string; remove(): void };

beforeAll(async () => {
  upstream = await startFakeUpstream();
  config = writeTempConfig(upstreamConfig(upstream.url), "degraded");
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

function post() {
  return postChat(url, { model: "ab" });
}

describe("with Redis unreachable", () => {
  it("keeps serving on local state, keeps cooldowns locally, and reports degraded", async () => {
    upstream.route("/a/chat/completions", openaiRateLimited({ retryAfterS: 30 }));
    upstream.route("/b/chat/completions", completion("m", "ok"));
    const first = await post();
    expect(first.status).toBe(200);
    expect(first.headers.get("x-429chain-provider")).toBe("b/m");
    const second = await post();
    expect(second.headers.get("x-429chain-attempts")).toBe("1");
    expect(upstream.hits("/a/chat/completions")).toBe(1);

    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "degraded", stateStore: "degraded" });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_state_store_degraded 1/);
    expect(metrics).toMatch(/gateway_state_store_errors_total [1-9]/);
  });
});
