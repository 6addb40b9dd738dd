import {
  type FakeUpstream,
  type RedisServer,
  serverError,
  startFakeUpstream,
  startRedisServer,
} from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  baseConfig,
  postChat,
  startTestGateway,
  type TestGateway,
  upstreamProviders,
} from "./harness";

const A = "/a/chat/completions";

let upstream: FakeUpstream;
let redis: RedisServer;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  redis = await startRedisServer();
  const config = baseConfig({
    providers: upstreamProviders(upstream.url, ["a", "b"]),
    chains: [
      {
        name: "sticky",
        affinity: "conversation",
        entries: ["a", "b"].map((provider) => ({ provider, model: "m" })),
      },
    ],
  });
  gw = await startTestGateway(config, { env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: "aff:" } });
}, 30_000);

afterAll(async () => {
  await gw?.close();
  await redis?.stop();
  await upstream?.close();
});

const messages = [
  { role: "system", content: "Be terse." },
  { role: "user", content: "Hello" },
];

async function served(extra: object[] = []) {
  const res = await postChat(gw.url, { model: "sticky", messages: [...messages, ...extra] });
  return { status: res.status, entry: res.headers.get("x-429chain-provider") };
}

describe("conversation affinity with Redis stopped", () => {
  it("still serves every turn, and keeps the conversation on this replica's own memory", async () => {
    upstream.route(A, serverError(500));
    expect(await served()).toEqual({ status: 200, entry: "b/m" });
    upstream.reset();
    expect(await served()).toEqual({ status: 200, entry: "b/m" });

    await redis.kill();
    // Nothing remembered locally yet: the turn starts at the top, and is remembered here.
    upstream.route(A, serverError(500));
    expect(await served()).toEqual({ status: 200, entry: "b/m" });
    upstream.reset();
    const more = [
      { role: "assistant", content: "Hi" },
      { role: "user", content: "More" },
    ];
    expect(await served(more)).toEqual({ status: 200, entry: "b/m" });
    expect(upstream.hits(A)).toBe(0);
  });
});
