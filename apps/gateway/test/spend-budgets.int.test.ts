import { createRedisSpendBudgets } from "@429chain/quota";
import { chainOf, completion, openaiRateLimited } from "@429chain/testing";
import { describe, expect, it } from "vitest";
import type { GatewayProcess } from "./gateway-process";
import { baseConfig, freeAndPaidProviders, postChat } from "./harness";
import { useSharedRedisReplicas } from "./replicas";

const FREE = "/free/chat/completions";
const PAID = "/paid/chat/completions";
// Each paid answer: 1,000 completion tokens at $1 per million = 1,000 micro-dollars, exactly
// what a request with max_tokens 1,000 reserves (input is free), so the $0.01 daily budget
// holds ten paid answers.
const PAID_USAGE = { prompt_tokens: 5, completion_tokens: 1_000, total_tokens: 1_005 };

describe("spend budgets across two gateway processes sharing Redis", () => {
  const r = useSharedRedisReplicas({
    label: "spendgw",
    config: (upstreamUrl) =>
      baseConfig({
        providers: freeAndPaidProviders(upstreamUrl),
        chains: [
          chainOf(
            "c",
            [
              "free/llama-3.1-8b-instant",
              { provider: "paid", model: "m", price: { inputPerMTok: 0, outputPerMTok: 1 } },
            ],
            { budget: { dailyUsd: 0.01 }, referencePrice: "openai/gpt-4o" },
          ),
        ],
      }),
  });

  it("serves free first, pays only within the budget under a concurrent burst, then skips the paid entry as budget", async () => {
    // The free tier has three answers left, then says so for a minute.
    const free = completion("llama-3.1-8b-instant", "free answer");
    r.upstream.route(FREE, free, free, free, openaiRateLimited({ retryAfterS: 60 }));
    r.upstream.route(PAID, completion("m", "paid answer", PAID_USAGE));
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        postChat((r.replicas[i % 2] as GatewayProcess).url, { model: "c", max_tokens: 1_000 }),
      ),
    );
    const served = burst.map((r) => r.headers.get("x-429chain-entry"));
    expect(served.filter((e) => e === "free/llama-3.1-8b-instant")).toHaveLength(3);
    expect(served.filter((e) => e === "paid/m")).toHaveLength(10);
    expect(r.upstream.hits(PAID)).toBe(10);

    const refused = burst.filter((r) => r.status === 429);
    expect(refused).toHaveLength(27);
    const body = (await refused[0]?.json()) as {
      error: {
        code: string;
        attempts: Array<{ provider: string; outcome: string; reason: string }>;
      };
    };
    expect(body.error.code).toBe("all_providers_exhausted");
    expect(body.error.attempts.find((a) => a.provider === "paid")).toMatchObject({
      outcome: "skipped_budget",
      reason: expect.stringContaining("daily budget"),
    });
    expect(refused[0]?.headers.get("retry-after")).not.toBeNull();

    // What both replicas counted, once every settle has landed: never over the budget.
    const budgets = createRedisSpendBudgets({ redis: r.redis.redis, prefix: r.redis.prefix });
    await expect.poll(async () => (await budgets.spent("chain:c")).dayMicros).toBe(10_000);
  });
});
