import { openaiRateLimited, serverError } from "@429chain/testing";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import type { GatewayProcess } from "./gateway-process";
import { baseConfig, TEST_KEY, upstreamProviders } from "./harness";
import { useSharedRedisReplicas } from "./replicas";

const A = "/a/chat/completions";
const B = "/b/chat/completions";

const r = useSharedRedisReplicas({
  label: "affinity-replicas",
  config: (upstreamUrl) =>
    baseConfig({
      providers: upstreamProviders(upstreamUrl, ["a", "b", "c"]),
      chains: [
        {
          name: "sticky",
          affinity: "conversation",
          entries: ["a", "b", "c"].map((provider) => ({ provider, model: "m" })),
        },
      ],
    }),
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
    const [r1, r2] = r.replicas as [GatewayProcess, GatewayProcess];
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: "system", content: "Be terse." },
      { role: "user", content: "Which entry am I on?" },
    ];
    const next = (text: string) => {
      messages.push({ role: "assistant", content: "ok" }, { role: "user", content: text });
      return messages;
    };

    r.upstream.route(A, serverError(500));
    expect(await turn(r1, messages)).toBe("b/m");
    r.upstream.reset();
    expect(await turn(r2, next("again"))).toBe("b/m");
    expect(r.upstream.hits(A)).toBe(0);

    // b is rate limited on r2; a fails once more, c serves: the conversation is c's now.
    r.upstream.route(B, openaiRateLimited({ retryAfterS: 30 }));
    r.upstream.route(A, serverError(500));
    expect(await turn(r2, next("and again"))).toBe("c/m");
    r.upstream.reset();
    expect(await turn(r1, next("still there?"))).toBe("c/m");
    expect(r.upstream.hits(A)).toBe(0);
  });
});
