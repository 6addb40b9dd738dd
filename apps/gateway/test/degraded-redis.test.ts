import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  completion,
  type FakeUpstream,
  openaiRateLimited,
  startFakeUpstream,
} from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../src/env";
import { createGateway, type Gateway } from "../src/gateway";
import { baseConfig, postChat } from "./harness";

let upstream: FakeUpstream;
let gateway: Gateway;
let url: string;
let dir: string;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  dir = mkdtempSync(join(tmpdir(), "429chain-degraded-"));
  const configPath = join(dir, "config.yaml");
  writeFileSync(
    configPath,
    JSON.stringify(
      baseConfig({
        providers: [
          { id: "a", name: "A", type: "openai", apiKey: "ka", baseUrl: `${upstream.url}/a` },
          { id: "b", name: "B", type: "openai", apiKey: "kb", baseUrl: `${upstream.url}/b` },
        ],
        chains: [
          {
            name: "ab",
            entries: [
              { provider: "a", model: "m" },
              { provider: "b", model: "m" },
            ],
          },
        ],
      }),
    ),
  );
  // Nothing listens on port 1: Redis is unreachable from the start.
  gateway = await createGateway(
    readEnv({ CONFIG_PATH: configPath, REDIS_URL: "redis://127.0.0.1:1", LOG_LEVEL: "silent" }),
  );
  url = await gateway.app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await gateway.app.close();
  await gateway.closeResources();
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
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
