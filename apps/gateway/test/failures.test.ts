import {
  eventErrorFrame,
  openaiStreamErrorFrame,
  serverError,
  streamed,
  streamFrames,
  waitFor,
} from "@429chain/testing";
import { describe, expect, it } from "vitest";
import { baseConfig, clearEntryState, postChat, useTestGateway } from "./harness";

const A = "/a/chat/completions";
const B = "/b/chat/completions";

const config = (upstreamUrl: string, settings = {}) =>
  baseConfig({
    settings: { circuitBreakerThreshold: 1, streamIdleTimeoutMs: 1000, ...settings },
    providers: [
      { id: "a", name: "A", type: "groq", apiKey: "ka", baseUrl: `${upstreamUrl}/a` },
      { id: "b", name: "B", type: "openai", apiKey: "kb", baseUrl: `${upstreamUrl}/b` },
    ],
    chains: [
      {
        name: "ab",
        entries: [
          { provider: "a", model: "m" },
          { provider: "b", model: "m" },
        ],
      },
      { name: "a", entries: [{ provider: "a", model: "m" }] },
    ],
  });

const t = useTestGateway((upstreamUrl) => config(upstreamUrl));

function post(model: string, extra: Record<string, unknown> = {}) {
  return postChat(t.gw.url, { model, ...extra });
}

describe("failures", () => {
  it("answers 503 when every entry's circuit is open", async () => {
    t.upstream.route(A, serverError(500));
    expect((await post("a")).status).toBe(502);
    const res = await post("a");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    const body = (await res.json()) as { error: { attempts: Array<{ reason: string }> } };
    expect(body.error.attempts[0]?.reason).toContain("circuit");
    expect(t.upstream.hits(A)).toBe(1);
  });

  it("moves on when an upstream answers 200 with garbage or an error object", async () => {
    t.upstream.route(
      A,
      { body: "<html>Bad Gateway</html>", headers: { "content-type": "text/html" } },
      { body: { error: { message: "internal", type: "server_error" } } },
    );
    const res = await post("ab");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-429chain-provider")).toBe("b/m");
    await clearEntryState(t.gw);
    expect((await post("ab")).headers.get("x-429chain-provider")).toBe("b/m");
    expect(t.upstream.hits(A)).toBe(2);
  });

  it("moves on when a stream's first event is an in-band error", async () => {
    t.upstream.route(A, { stream: { frames: [openaiStreamErrorFrame("overloaded")] } });
    t.upstream.route(B, streamed("m", ["fine"]));
    const res = await post("ab", { stream: true });
    expect(res.headers.get("x-429chain-provider")).toBe("b/m");
    expect(await res.text()).toContain("fine");
  });

  it("ends the stream with an error event when an in-band error follows the first content", async () => {
    const [role, first] = streamFrames("m", ["partial"]);
    t.upstream.route(A, {
      stream: { frames: [role ?? "", first ?? "", eventErrorFrame("upstream died")] },
    });
    const text = await (await post("a", { stream: true })).text();
    expect(text).toContain("partial");
    expect(text).toMatch(/event: error\ndata: \{"error"/);
    expect(text).not.toContain("[DONE]");
  });

  it("ends the stream with an error event when the upstream goes idle mid-stream", async () => {
    const frames = streamFrames("m", ["one", "two"]);
    t.upstream.route(A, { stream: { frames, hangAfter: 2 } });
    const text = await (await post("a", { stream: true })).text();
    expect(text).toContain("one");
    expect(text).toMatch(/event: error\ndata: .*idle/);
  });
});

describe("deadline and reload", () => {
  it("answers 504 when the request deadline passes before any entry answers", async () => {
    await t.gw.writeConfig(
      config(t.upstream.url, { requestDeadlineMs: 1000, requestTimeoutMs: 30000 }),
    );
    try {
      t.upstream.route(A, { hang: true });
      const res = await post("ab");
      expect(res.status).toBe(504);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        "request_timeout",
      );
      expect(t.upstream.hits(B)).toBe(0);
    } finally {
      await t.gw.writeConfig(config(t.upstream.url));
    }
  });

  it("picks up a changed config file by itself", async () => {
    const before = t.gw.gateway.config.current().version;
    const { writeFileSync } = await import("node:fs");
    const next = config(t.upstream.url);
    next.chains[0]?.entries.reverse();
    writeFileSync(t.gw.configPath, JSON.stringify(next));
    await waitFor(() => t.gw.gateway.config.current().version > before, { timeoutMs: 3000 });
    expect((await post("ab")).headers.get("x-429chain-provider")).toBe("b/m");
    await t.gw.writeConfig(config(t.upstream.url));
  });
});
