import { completion, openaiRateLimited } from "@429chain/testing";
import { describe, expect, it } from "vitest";
import { postChat, UNREACHABLE_REDIS, upstreamConfig, useTestGateway } from "./harness";

// Nothing listens on port 1: Redis is unreachable from the start.
const t = useTestGateway((upstreamUrl) => upstreamConfig(upstreamUrl), { env: UNREACHABLE_REDIS });
function post() {
  return postChat(t.gw.url, { model: "ab" });
}

describe("with Redis unreachable", () => {
  it("keeps serving on local state, keeps cooldowns locally, and reports degraded", async () => {
    t.upstream.route("/a/chat/completions", openaiRateLimited({ retryAfterS: 30 }));
    t.upstream.route("/b/chat/completions", completion("m", "ok"));
    const first = await post();
    expect(first.status).toBe(200);
    expect(first.headers.get("x-429chain-provider")).toBe("b/m");
    const second = await post();
    expect(second.headers.get("x-429chain-attempts")).toBe("1");
    expect(t.upstream.hits("/a/chat/completions")).toBe(1);

    const ready = await fetch(`${t.gw.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "degraded", stateStore: "degraded" });
    const metrics = await (await fetch(`${t.gw.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_state_store_degraded 1/);
    expect(metrics).toMatch(/gateway_state_store_errors_total [1-9]/);
  });
});
