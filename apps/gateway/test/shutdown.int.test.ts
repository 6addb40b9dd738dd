import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createTestRedis,
  type FakeUpstream,
  startFakeUpstream,
  streamed,
  TEST_REDIS_URL,
  type TestRedis,
} from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayProcess } from "./gateway-process";
import { baseConfig, TEST_KEY } from "./harness";

let upstream: FakeUpstream;
let redis: TestRedis;
let dir: string;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  redis = await createTestRedis("shutdown");
  dir = mkdtempSync(join(tmpdir(), "429chain-shutdown-"));
});
afterAll(async () => {
  await upstream.close();
  await redis.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe("graceful shutdown", () => {
  it("on SIGTERM lets an open stream finish, then exits 0", async () => {
    const configPath = join(dir, "config.yaml");
    writeFileSync(
      configPath,
      JSON.stringify(
        baseConfig({
          providers: [
            { id: "a", name: "A", type: "openai", apiKey: "ka", baseUrl: `${upstream.url}/a` },
          ],
          chains: [{ name: "a", entries: [{ provider: "a", model: "m" }] }],
        }),
      ),
    );
    const words = Array.from({ length: 8 }, (_, i) => `w${i} `);
    upstream.route("/a/chat/completions", streamed("m", words, { frameDelayMs: 150 }));
    const gw = await startGatewayProcess({
      env: {
        CONFIG_PATH: configPath,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: redis.prefix,
        LOG_LEVEL: "warn",
      },
    });
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "a",
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);

    const exited = gw.stop("SIGTERM");
    let rest = new TextDecoder().decode(first.value);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toContain("w7");
    expect(rest).toContain("data: [DONE]");
    expect(await exited).toBe(0);
  });
});
