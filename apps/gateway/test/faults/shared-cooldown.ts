import { completion, type FakeUpstream, openaiRateLimited } from "@429chain/testing";
import { expect } from "vitest";
import { postChat } from "../harness";

const C = "/c/chat/completions";

/**
 * A 429 with Retry-After seen through the first gateway keeps the second from calling that
 * entry: only possible when both share state in Redis again.
 */
export async function expectSharedCooldown(
  upstream: FakeUpstream,
  [first, second]: [string, string],
): Promise<void> {
  const hitsBefore = upstream.hits(C);
  upstream.route(C, openaiRateLimited({ retryAfterS: 30 }), completion("m", "c is back"));
  const res = await postChat(first, { model: "cd" });
  expect(res.status).toBe(200);
  expect(res.headers.get("x-429chain-provider")).toBe("d/m");
  expect(upstream.hits(C)).toBe(hitsBefore + 1);
  for (let i = 0; i < 10; i++) {
    const next = await postChat(second, { model: "cd" });
    expect(next.status).toBe(200);
    expect(next.headers.get("x-429chain-provider")).toBe("d/m");
    expect(next.headers.get("x-429chain-attempts")).toBe("1");
  }
  expect(upstream.hits(C)).toBe(hitsBefore + 1);
}
