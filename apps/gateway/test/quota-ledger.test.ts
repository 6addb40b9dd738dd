import { QuotaLedgerSchema } from "@429chain/contracts";
import { completion, rateLimitHeaders, waitFor } from "@429chain/testing";
import { describe, expect, it } from "vitest";
import { baseConfig, postChat, TEST_KEY, useTestGateway } from "./harness";

const G = "/g/chat/completions";
const C = "/c/chat/completions";

const t = useTestGateway((url) =>
  baseConfig({
    providers: [
      { id: "g", name: "Groq", type: "groq", apiKey: "gk", baseUrl: `${url}/g` },
      {
        id: "c",
        name: "Local",
        type: "generic-openai",
        apiKey: "ck",
        baseUrl: `${url}/c`,
        rateLimits: { requestsPerDay: 50 },
      },
    ],
    chains: [
      {
        name: "gc",
        entries: [
          { provider: "g", model: "m" },
          { provider: "c", model: "m" },
        ],
      },
    ],
  }),
);

/** Groq: `…-requests` is the day's requests, `…-tokens` the minute's tokens. */
const groqOk = (remainingRequests: number) =>
  completion("m", "ok", undefined, {
    ...rateLimitHeaders({
      limitRequests: 1000,
      remainingRequests,
      resetRequests: "6h0m0s",
      limitTokens: 6000,
      remainingTokens: 5000,
      resetTokens: "20s",
    }),
  });

async function quota() {
  const res = await fetch(`${t.gw.url}/v1/quota`, {
    headers: { authorization: `Bearer ${TEST_KEY}` },
  });
  expect(res.status).toBe(200);
  return QuotaLedgerSchema.parse(await res.json());
}

describe("the quota ledger", () => {
  it("says what each window and each chain has left, and how fast it goes", async () => {
    t.upstream.route(G, groqOk(102), groqOk(101), groqOk(100));
    for (let i = 0; i < 3; i++) {
      const res = await postChat(t.gw.url, { model: "gc" });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-429chain-entry")).toBe("g/m");
      expect(res.headers.get("x-429chain-attempts")).toBe("1");
    }
    const ledger = await quota();
    const g = ledger.entries.find((e) => e.label === "g/m");
    const day = g?.windows.find((w) => w.name === "header:requests-day");
    expect(day).toMatchObject({ period: "day", remaining: 100, limit: 1000 });
    expect(g?.windows.find((w) => w.name === "header:tokens")).toMatchObject({
      period: "minute",
      remaining: 5000,
    });
    // Three requests just now, in a use window of 5 minutes that has barely begun: read over
    // its shortest span (a fifth of it), 3 a minute.
    expect(g?.burn.entry.requestsPerMinute).toBeCloseTo(3, 1);
    expect(day?.burnPerMinute).toBeCloseTo(3, 1);
    const [chain] = ledger.chains;
    expect(chain).toMatchObject({ name: "gc", activeEntry: "g/m", entries: ["g/m", "c/m"] });
    // Groq's day (100 left) plus the local server's declared 50 a day.
    expect(chain?.capacity.requests.day).toBe(150);
    expect(chain?.resets[0]).toMatchObject({ entry: "g/m", window: "header:tokens" });
  });

  it("puts the chain's remaining requests on its responses", async () => {
    t.upstream.setDefault(G, groqOk(80));
    // Groq's 80 left today plus the local server's 50, less the request in flight when the
    // ledger was read (each response's figure is at most a second old).
    await waitFor(async () => {
      const res = await postChat(t.gw.url, { model: "gc" });
      const day = res.headers.get("x-429chain-remaining-requests-day");
      const now = res.headers.get("x-429chain-remaining-requests");
      return (day === "129" || day === "130") && now === day;
    });
  });

  it("shows an exhausted entry with nothing now and when the chain serves again", async () => {
    t.upstream.route(G, groqOk(0));
    t.upstream.setDefault(C, completion("m", "ok"));
    expect((await postChat(t.gw.url, { model: "gc" })).headers.get("x-429chain-entry")).toBe("g/m");
    // Groq said the day is spent: the next request goes to the local server without a call.
    const res = await postChat(t.gw.url, { model: "gc" });
    expect(res.headers.get("x-429chain-entry")).toBe("c/m");
    expect(t.upstream.hits(G)).toBe(1);
    const [chain] = (await quota()).chains;
    expect(chain?.activeEntry).toBe("c/m");
    expect(chain?.capacity.requests.day).toBe(49);
    expect(chain?.capacity.requests.now).toBe(49);
  });
});
