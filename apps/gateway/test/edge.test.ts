import { type FakeUpstream, startFakeUpstream } from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamClient } from "../src/upstream/http-client";
import { baseConfig, capturingSink, startTestGateway, TEST_KEY, type TestGateway } from "./harness";

/** An upstream client with a bug: sending throws instead of returning a failure. */
class ThrowingClient extends UpstreamClient {
  override async send(): Promise<never> {
    throw new TypeError("a bug in the upstream client");
  }
}

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(async () => {
  await upstream.close();
});

const config = () =>
  baseConfig({
    settings: { apiKeys: [TEST_KEY, "sk-429chain-change-me"] },
    providers: [
      {
        id: "a",
        name: "A",
        type: "openai",
        apiKey: "ka",
        baseUrl: `${upstream.url}/a`,
        modelRateLimits: { m: { concurrentRequests: 1 } },
      },
    ],
    chains: [{ name: "a", entries: [{ provider: "a", model: "m" }] }],
  });

function chat(gw: TestGateway, key = TEST_KEY) {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "a", messages: [{ role: "user", content: "hi" }] }),
  });
}

describe("an unexpected error inside an attempt", () => {
  let gw: TestGateway;
  const sink = capturingSink();
  beforeAll(async () => {
    gw = await startTestGateway(config(), {
      overrides: { client: new ThrowingClient(), logSink: sink },
    });
  });
  afterAll(async () => {
    await gw.close();
  });

  it("is a 500 internal_error, logged as failed (not cancelled), and releases the lease", async () => {
    const res = await chat(gw);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("internal_error");
    expect(body.error.message).not.toContain("bug");
    expect(sink.jobs.at(-1)).toMatchObject({
      outcome: "failed",
      httpStatus: 500,
      errorCode: "internal_error",
    });
    // Concurrency limit 1: a leaked lease would make the second request skip the entry.
    const [state] = await gw.gateway.quota.entryStates(
      gw.gateway.config.current().entries.map((e) => e.policy),
    );
    expect(state?.inFlight).toBe(0);
    expect((await chat(gw)).status).toBe(500);
  });
});

describe("a gateway listening beyond loopback, with METRICS_PORT", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(config(), {
      env: { HOST: "0.0.0.0", METRICS_PORT: "0", METRICS_TOKEN: "0123456789abcdef-token" },
    });
  });
  afterAll(async () => {
    await gw.gateway.ops?.close();
    await gw.close();
  });

  it("refuses the example key published in this repository", async () => {
    const res = await chat(gw, "sk-429chain-change-me");
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain("example key");
    expect((await chat(gw)).status).toBe(200);
  });

  it("serves /metrics and /ready only on the metrics listener, /metrics only with its token", async () => {
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${gw.url}/ready`)).status).toBe(404);
    expect((await fetch(`${gw.url}/health`)).status).toBe(200);
    const ops = gw.gateway.ops;
    if (!ops) throw new Error("no metrics listener");
    const opsUrl = await ops.listen({ host: "127.0.0.1", port: 0 });
    expect((await fetch(`${opsUrl}/ready`)).status).toBe(200);
    expect((await fetch(`${opsUrl}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${opsUrl}/metrics`, {
      headers: { authorization: "Bearer 0123456789abcdef-token" },
    });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("gateway_requests_total");
  });
});
