import { describe, expect, it } from "vitest";
import { toAnthropicUsage, toChatUsage } from "./usage";

describe("toAnthropicUsage", () => {
  it("takes cache reads (OpenAI, DeepSeek) and writes (OpenRouter) out of input_tokens", () => {
    expect(
      toAnthropicUsage({
        prompt_tokens: 194,
        completion_tokens: 2,
        total_tokens: 196,
        prompt_tokens_details: { cached_tokens: 50, cache_write_tokens: 100 } as {
          cached_tokens: number;
        },
      }),
    ).toEqual({
      input_tokens: 44,
      output_tokens: 2,
      cache_creation_input_tokens: 100,
      cache_read_input_tokens: 50,
    });
    const deepseek = {
      prompt_tokens: 80,
      completion_tokens: 5,
      total_tokens: 85,
      prompt_cache_hit_tokens: 64,
    };
    expect(toAnthropicUsage(deepseek).cache_read_input_tokens).toBe(64);
    expect(toAnthropicUsage(deepseek).input_tokens).toBe(16);
  });
});

describe("toChatUsage", () => {
  it("counts cache writes and reads in the prompt", () => {
    expect(
      toChatUsage({
        input_tokens: 3,
        output_tokens: 7,
        cache_creation_input_tokens: 10,
        cache_read_input_tokens: 20,
      }),
    ).toEqual({
      prompt_tokens: 33,
      completion_tokens: 7,
      total_tokens: 40,
      prompt_tokens_details: { cached_tokens: 20 },
    });
  });
});
