import { ConfigSchema } from "@429chain/contracts";
import { createDb, type DbHandle, importConfig, masterKeyFromBytes, migrate } from "@429chain/db";
import { createTestDatabase, type TestDatabase } from "@429chain/db/testing";
import { publishConfigVersion } from "@429chain/redis";
import {
  createTestRedis,
  type FakeUpstream,
  startFakeUpstream,
  TEST_REDIS_URL,
  type TestRedis,
} from "@429chain/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GatewayProcess, startGatewayProcess } from "../../../test/gateway-process";
import { readChatStream } from "../../components/playground/read-chat-stream";
import { readResponsesStream } from "../../components/playground/read-responses-stream";
import type { PlaygroundGatewayDeps } from "./playground-gateway";
import { ensurePlaygroundKey } from "./playground-key";
import { sendPlayground } from "./playground-send";

type StreamReader = typeof readChatStream | typeof readResponsesStream;
type Usage = { promptTokens: number; completionTokens: number };

/** The text and usage the playground's stream reader takes from an answer; its errors throw. */
async function collect(
  read: StreamReader,
  body: ReadableStream<Uint8Array>,
): Promise<{ text: string; usage: Usage | null }> {
  let text = "";
  let usage: Usage | null = null;
  await read(body, {
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
  return { text, usage };
}

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

  // Creates the key on first use and announces it, as the admin's handler does.
  const playgroundKey: PlaygroundGatewayDeps["key"] = async () => {
    const key = await ensurePlaygroundKey(
      t.db,
      masterKeyFromBytes(MASTER_BYTES),
      "admin@example.com",
    );
    if (key.createdVersion !== null)
      await publishConfigVersion(r.redis, r.prefix, key.createdVersion);
    return key;
  };

  it("creates its key, waits for the gateway to know it and streams the answer", async () => {
    const response = await sendPlayground(
      { gatewayUrl: gateway.url, key: playgroundKey, newKeyWaitMs: 10_000, retryDelayMs: 100 },
      { mode: "chat", chain: "fast", prompt: PROMPT },
      new AbortController().signal,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("x-429chain-provider")).toBe("a/m");
    expect(response.headers.get("x-429chain-attempts")).toBe("1");
    const { text, usage } = await collect(readChatStream, response.body!);
    expect(text).toBe("Hello from the fake upstream.");
    expect(usage).toMatchObject({ promptTokens: 10 });
    const sent = upstream.requests("/a/chat/completions")[0]?.body as { messages: unknown[] };
    expect(sent.messages).toEqual([{ role: "user", content: PROMPT }]);
    expect(gateway.output()).not.toContain(PROMPT);
  });

  it("streams a Responses API answer through the gateway, with the serving entry", async () => {
    const response = await sendPlayground(
      { gatewayUrl: gateway.url, key: playgroundKey, newKeyWaitMs: 10_000, retryDelayMs: 100 },
      { mode: "responses", chain: "fast", prompt: PROMPT },
      new AbortController().signal,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("x-429chain-provider")).toBe("a/m");
    expect(response.headers.get("x-429chain-attempts")).toBe("1");
    const { text, usage } = await collect(readResponsesStream, response.body!);
    expect(text).toBe("Hello from the fake upstream.");
    expect(usage).toMatchObject({ promptTokens: 10 });
    const sent = upstream.requests("/a/chat/completions").at(-1)?.body as { messages: unknown[] };
    expect(sent.messages).toEqual([{ role: "user", content: PROMPT }]);
  });

  it("names the gateway it cannot reach", async () => {
    const response = await sendPlayground(
      {
        gatewayUrl: "http://127.0.0.1:9",
        key: async () => ({ key: "sk-429-unused", createdVersion: null }),
        newKeyWaitMs: 0,
        retryDelayMs: 0,
      },
      { mode: "chat", chain: "fast", prompt: PROMPT },
      new AbortController().signal,
    );
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /^Cannot reach the gateway at http:\/\/127\.0\.0\.1:9: /,
    );
  });
});

// /v1/embeddings is the gateway's (built beside this); here the fake upstream plays the
// gateway, answering with the OpenAI embeddings shape and the gateway's headers.
describe("playground embeddings against a gateway-shaped server", () => {
  let gateway: FakeUpstream;
  const key = async () => ({ key: "sk-429-playground", createdVersion: null });
  const send = (chain: string) =>
    sendPlayground(
      { gatewayUrl: gateway.url, key, newKeyWaitMs: 0, retryDelayMs: 0 },
      { mode: "embeddings", chain, prompt: PROMPT },
      new AbortController().signal,
    );
  beforeAll(async () => {
    gateway = await startFakeUpstream();
  });
  afterAll(() => gateway?.close());
  beforeEach(() => gateway.reset());

  it("sends the text to /v1/embeddings and answers with the vector's length, not the vector", async () => {
    const embedding = Array.from({ length: 1536 }, (_, i) => (i % 7) / 8);
    gateway.route("/v1/embeddings", {
      headers: {
        "x-request-id": "req-e1",
        "x-429chain-provider": "oai/text-embedding-3-small",
        "x-429chain-attempts": "2",
      },
      body: {
        object: "list",
        data: [{ object: "embedding", index: 0, embedding }],
        model: "text-embedding-3-small",
        usage: { prompt_tokens: 9, total_tokens: 9 },
      },
    });
    const response = await send("embed");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-429chain-provider")).toBe("oai/text-embedding-3-small");
    expect(response.headers.get("x-429chain-attempts")).toBe("2");
    expect(response.headers.get("x-request-id")).toBe("req-e1");
    expect(await response.json()).toEqual({
      model: "text-embedding-3-small",
      length: 1536,
      preview: embedding.slice(0, 5),
      usage: { promptTokens: 9, totalTokens: 9 },
    });
    const [sent] = gateway.requests("/v1/embeddings");
    expect(sent?.body).toEqual({ model: "embed", input: PROMPT });
    expect(sent?.headers.authorization).toBe("Bearer sk-429-playground");
  });

  it("relays the gateway's refusal of a chain of the other kind", async () => {
    const refusal = {
      error: {
        message: 'chain "fast" is a chat chain: /v1/embeddings needs an embeddings chain',
        type: "invalid_request_error",
        param: "model",
        code: "invalid_request",
      },
    };
    gateway.route("/v1/embeddings", { status: 400, body: refusal });
    const response = await send("fast");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(refusal);
  });

  it("says so when the answer is not an embeddings list", async () => {
    gateway.route("/v1/embeddings", { body: { choices: [] } });
    const response = await send("embed");
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({
      error: "The gateway's answer to /v1/embeddings is not an embeddings list.",
    });
  });
});
