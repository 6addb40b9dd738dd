import {
  createTestRedis,
  type FakeUpstream,
  openaiRateLimited,
  serverError,
  startFakeUpstream,
  TEST_REDIS_URL,
  type TestRedis,
} from "@429chain/testing";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process";
import { baseConfig, TEST_KEY, writeTempConfig } from "./harness";

const A = "/a/chat/completions";
const B = "/b/chat/completions";

let upstream: FakeUpstream;
let redis: TestRedis;
let config: { path: string; remove(): void };
let replicas: GatewayProcess[] = [];

beforeAll(async () => {
  upstream = await startFakeUpstream();
  redis = await createTestRedis("affinity-replicas");
  config = writeTempConfig(
    baseConfig({
      providers: ["a", "b", "c"].map((id) => ({
        id,
        name: id.toUpperCase(),
        type: "openai" as const,
        apiKey: `k${id}`,
        baseUrl: `${upstream.url}/${id}`,
      })),
      chains: [
        {
          name: "sticky",
          affinity: "conversation",
          entries: ["a", "b", "c"].map((provider) => ({ provider, model: "m" })),
        },
      ],
    }),
    "affinity-replicas",
  );
  const env = {
    CONFIG_PATH: config.path,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: redis.prefix,
    REDIS_COMMAND_TIMEOUT_MS: "3000",
    LOG_LEVEL: "warn",
  };
  replicas = await Promise.all(
    ["r1", "r2"].map((id) => startGatewayProcess({ env: { ...env, REPLICA_ID: id } })),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await upstream?.close();
  await redis?.cleanup();
  config?.remove();
});

/** One chat turn through a replica; the entry that served it. */
async function turn(replica: GatewayProcess, messages: OpenAI.ChatCompletionMessageParam[]) {
  const openai = new OpenAI({ apiKey: TEST_KEY, baseURL: `${replica.url}/v1`, maxRetries: 0 });
  const { response } = await openai.chat.completions
    .create({ model: "sticky", messages })
    .withResponse();
  return response.headers.get("x-429chain-provider");
}

describe("conversation affinity across two gateway processes sharing Redis", () => {
  it("a turn on either replica goes to the entry the conversation was last served by", async () => {
    const [r1, r2] = replicas as [GatewayProcess, GatewayProcess];
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: "system", content: "Be terse." },
      { role: "user", content: "Which entry am I on?" },
    ];
    const next = (text: string) => {
      messages.push({ role: "assistant", content: "ok" }, { role: "user", content: text });
      return messages;
    };

    upstream.route(A, serverError(500));
    expect(await turn(r1, messages)).toBe("b/m");
    upstream.reset();
    expect(await turn(r2, next("again"))).toBe("b/m");
    expect(upstream.hits(A)).toBe(0);

    // b is rate limited on r2; a fails once more, c serves: the conversation is c's now.
    upstream.route(B, openaiRateLimited({ retryAfterS: 30 }));
    upstream.route(A, serverError(500));
    expect(await turn(r2, next("and again"))).toBe("c/m");
    upstream.reset();
    expect(await turn(r1, next("still there?"))).toBe("c/m");
    expect(upstream.hits(A)).toBe(0);
  });
});
