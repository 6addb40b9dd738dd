import { completion } from "@429chain/testing";
import { describe, expect, it } from "vitest";
import {
  baseConfig,
  freeAndPaidProviders,
  postChat,
  UNREACHABLE_REDIS,
  useTestGateway,
} from "./harness";

// Nothing listens on port 1: Redis is unreachable from the start.
const t = useTestGateway(
  (upstreamUrl) =>
    baseConfig({
      providers: freeAndPaidProviders(upstreamUrl),
      chains: [
        {
          name: "budgeted",
          budget: { dailyUsd: 100 },
          entries: [
            { provider: "paid", model: "gpt-4o-mini" },
            { provider: "free", model: "llama-3.1-8b-instant" },
          ],
        },
        { name: "unbudgeted", entries: [{ provider: "paid", model: "gpt-4o-mini" }] },
      ],
    }),
  { env: UNREACHABLE_REDIS },
);

describe("spend budgets with Redis unreachable", () => {
  it("skips a budgeted chain's paid entry (fail closed) and serves its free one", async () => {
    t.upstream.route("/paid/chat/completions", completion("gpt-4o-mini", "paid"));
    t.upstream.route("/free/chat/completions", completion("llama", "free"));
    const res = await postChat(t.gw.url, { model: "budgeted" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-429chain-entry")).toBe("free/llama-3.1-8b-instant");
    expect(t.upstream.hits("/paid/chat/completions")).toBe(0);
  });

  it("still serves a paid entry of a chain without a budget", async () => {
    const res = await postChat(t.gw.url, { model: "unbudgeted" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-429chain-entry")).toBe("paid/gpt-4o-mini");
  });
});
