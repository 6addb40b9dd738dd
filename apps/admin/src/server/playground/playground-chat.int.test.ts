import { ConfigSchema } from "@429chain/contracts";
import { createDb, type DbHandle, importConfig, masterKeyFromBytes, migrate } from "@429chain/db";
import { createTestDatabase, type TestDatabase } from "@429chain/db/testing";
import { publishConfigVersion } from "@429chain/quota";
import {
  createTestRedis,
  type FakeUpstream,
  type GatewayProcess,
  startFakeUpstream,
  startGatewayProcess,
  TEST_REDIS_URL,
  type TestRedis,
} from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readChatStream } from "../../components/playground/read-chat-stream";
import { sendPlaygroundChat } from "./playground-chat";
import { ensurePlaygroundKey } from "./playground-key";

const MASTER_BYTES = Buffer.alloc(32, 5);
const PROMPT = "playground prompt 7f3a: say hi";

describe("playground through a real gateway (postgres + redis)", () => {
  let database: TestDatabase;
  let t: DbHandle;
  let r: TestRedis;
  let upstream: FakeUpstream;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    database = await createTestDatabase("admin_playground_chat");
    t = await createDb({ url: database.url });
    await migrate(t);
    r = await createTestRedis("admin-playground");
    upstream = await startFakeUpstream();
    const config = ConfigSchema.parse({
      version: 1,
      providers: [
        { id: "a", name: "A", type: "openai", apiKey: "sk-up-a", baseUrl: `${upstream.url}/a` },
      ],
      chains: [{ name: "fast", entries: [{ provider: "a", model: "m" }] }],
      settings: { defaultChain: "fast" },
    });
    const masterKey = masterKeyFromBytes(MASTER_BYTES);
    await importConfig(t.db, config, { masterKey, actor: "test" });
    gateway = await startGatewayProcess({
      env: {
        DATABASE_URL: database.url,
        MASTER_KEY: MASTER_BYTES.toString("hex"),
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: r.prefix,
        // Long poll: the new key must arrive through the pub/sub announcement.
        CONFIG_POLL_MS: "60000",
        LOG_LEVEL: "warn",
      },
    });
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    await r?.cleanup();
    await t?.close();
    await database?.drop();
  });

  it("creates its key, waits for the gateway to know it and streams the answer", async () => {
    const masterKey = masterKeyFromBytes(MASTER_BYTES);
    const response = await sendPlaygroundChat(
      {
        gatewayUrl: gateway.url,
        key: async () => {
          const key = await ensurePlaygroundKey(t.db, masterKey, "admin@example.com");
          if (key.createdVersion !== null) {
            await publishConfigVersion(r.redis, r.prefix, key.createdVersion);
          }
          return key;
        },
        newKeyWaitMs: 10_000,
        retryDelayMs: 100,
      },
      { chain: "fast", prompt: PROMPT },
      new AbortController().signal,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("x-429chain-provider")).toBe("a/m");
    expect(response.headers.get("x-429chain-attempts")).toBe("1");
    let text = "";
    let usage: { promptTokens: number; completionTokens: number } | null = null;
    await readChatStream(response.body!, {
      onText: (s) => {
        text += s;
      },
      onUsage: (u) => {
        usage = u;
      },
      onError: (message) => {
        throw new Error(message);
      },
    });
    expect(text).toBe("Hello from the fake upstream.");
    expect(usage).toMatchObject({ promptTokens: 10 });
    const sent = upstream.requests("/a/chat/completions")[0]?.body as { messages: unknown[] };
    expect(sent.messages).toEqual([{ role: "user", content: PROMPT }]);
    expect(gateway.output()).not.toContain(PROMPT);
  });

  it("names the gateway it cannot reach", async () => {
    const response = await sendPlaygroundChat(
      {
        gatewayUrl: "http://127.0.0.1:9",
        key: async () => ({ key: "sk-429-unused", createdVersion: null }),
        newKeyWaitMs: 0,
        retryDelayMs: 0,
      },
      { chain: "fast", prompt: PROMPT },
      new AbortController().signal,
    );
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /^Cannot reach the gateway at http:\/\/127\.0\.0\.1:9: /,
    );
  });
});
