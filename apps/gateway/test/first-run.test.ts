import { openaiRateLimited } from "@429chain/testing";
import { describe, expect, it } from "vitest";
import { baseConfig, postChat, useTestGateway } from "./harness";

const A = "/a/chat/completions";
const B = "/b/chat/completions";

const config = (upstreamUrl: string, keyA: string) =>
  baseConfig({
    providers: [
      { id: "a", name: "A", type: "groq", apiKey: keyA, baseUrl: `${upstreamUrl}/a` },
      { id: "b", name: "B", type: "openai", apiKey: "kb", baseUrl: `${upstreamUrl}/b` },
      {
        id: "c",
        name: "C",
        type: "cerebras",
        apiKey: "csk-your-key-here",
        baseUrl: `${upstreamUrl}/c`,
      },
    ],
    chains: [
      {
        name: "ab",
        entries: [
          { provider: "a", model: "m" },
          { provider: "b", model: "m" },
        ],
      },
      { name: "c-only", entries: [{ provider: "c", model: "m" }] },
    ],
  });

const t = useTestGateway((upstreamUrl) => config(upstreamUrl, "gsk_your_key_here"));

async function attemptsOf(res: Response) {
  const body = (await res.json()) as {
    error: { message: string; attempts: Array<{ outcome: string; reason: string }> };
  };
  return body.error;
}

describe("a first run with the example config's placeholder keys", () => {
  it("never calls a provider whose key is a placeholder, and says 'add a key'", async () => {
    const res = await postChat(t.gw.url, { model: "ab" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-429chain-provider")).toBe("b/m");
    expect(t.upstream.hits(A)).toBe(0);
    const only = await postChat(t.gw.url, { model: "c-only" });
    expect(only.status).toBe(503);
    const error = await attemptsOf(only);
    expect(error.message).toContain("add one");
    expect(error.attempts[0]).toMatchObject({ outcome: "skipped_no_key" });
    expect(error.attempts[0]?.reason).toContain("add a key for provider 'c'");
  });

  it("uses a real key pasted in at once, whatever state the old key left", async () => {
    // The old credentials were refused: the entry is auth_failed for an hour...
    await t.gw.writeConfig(config(t.upstream.url, "gsk_real_but_wrong"));
    t.upstream.route(A, { status: 401, body: { error: { message: "Invalid API Key" } } });
    expect((await postChat(t.gw.url, { model: "ab" })).headers.get("x-429chain-provider")).toBe(
      "b/m",
    );
    t.upstream.reset();
    // ...until a new key is pasted: the next request goes to it.
    await t.gw.writeConfig(config(t.upstream.url, "gsk_the_right_key"));
    const res = await postChat(t.gw.url, { model: "ab" });
    expect(res.headers.get("x-429chain-provider")).toBe("a/m");
    expect(t.upstream.requests(A)[0]?.headers.authorization).toBe("Bearer gsk_the_right_key");
  });

  it("keeps a cooldown when a config change leaves the provider's key and URL alone", async () => {
    await t.gw.writeConfig(config(t.upstream.url, "gsk_key_1"));
    t.upstream.route(A, openaiRateLimited({ retryAfterS: 60 }));
    await postChat(t.gw.url, { model: "ab" });
    const unchanged = config(t.upstream.url, "gsk_key_1");
    unchanged.settings.logLevel = "warn";
    await t.gw.writeConfig(unchanged);
    await postChat(t.gw.url, { model: "ab" });
    expect(t.upstream.hits(A)).toBe(1);
    expect(t.upstream.hits(B)).toBe(2);
  });
});
