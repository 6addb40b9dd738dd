import {
  completionBody,
  type FakeUpstream,
  openaiRateLimited,
  startFakeUpstream,
  streamed,
  usageFor,
} from "@429chain/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { baseConfig, postChat, startTestGateway, type TestGateway } from "./harness";

let upstream: FakeUpstream;
let gw: TestGateway;
const A = "/a/chat/completions";

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gw = await startTestGateway(
    baseConfig({
      settings: { normalizeResponses: true, queueMode: true, queueMaxWaitMs: 5000 },
      providers: [
        { id: "a", name: "A", type: "openai", apiKey: "ka", baseUrl: `${upstream.url}/a` },
      ],
      chains: [{ name: "a", entries: [{ provider: "a", model: "m" }] }],
    }),
  );
});
afterEach(() => upstream.reset());
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

function post(body: Record<string, unknown>) {
  return postChat(gw.url, { model: "a", ...body });
}

describe("response shaping", () => {
  it("drops the usage chunk the client did not ask for, and forwards it when asked", async () => {
    upstream.setDefault(A, streamed("m", ["x"], { usage: usageFor("x") }));
    const plain = await (await post({ stream: true })).text();
    expect(plain).not.toContain('"usage":{');
    expect(plain).toContain("data: [DONE]");
    const asked = await (
      await post({ stream: true, stream_options: { include_usage: true } })
    ).text();
    expect(asked).toContain('"prompt_tokens"');
  });

  it("moves reasoning_content into empty content when normalizeResponses is on", async () => {
    const body = completionBody("m", "");
    (body.choices[0]?.message as Record<string, unknown>).reasoning_content = "thought";
    upstream.route(A, { body });
    const json = (await (await post({})).json()) as {
      choices: Array<{ message: { content: string } }>;
    };
    expect(json.choices[0]?.message.content).toBe("thought");
  });
});

describe("queueMode", () => {
  it("holds a request until the rate-limited chain frees instead of failing", async () => {
    upstream.route(A, openaiRateLimited({ retryAfterS: 1 }), {
      body: completionBody("m", "after the wait"),
    });
    const res = await post({});
    expect(res.status).toBe(200);
    expect(upstream.hits(A)).toBe(2);
  });
});
