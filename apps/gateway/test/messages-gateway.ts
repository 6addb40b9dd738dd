import Anthropic from "@anthropic-ai/sdk";
import { baseConfig, TEST_KEY, useTestGateway } from "./harness";

/** The upstream paths of the two entries every /v1/messages test file serves from. */
export const ANTH = "/anth/v1/messages";
export const OA = "/oa/chat/completions";

/** A gateway with an anthropic entry before an OpenAI one, and aliases for Claude Code names. */
export function useMessagesGateway() {
  return useTestGateway((upstreamUrl) =>
    baseConfig({
      settings: {
        modelAliases: { "claude-*": "coding", "claude-haiku-*": "oa-only" },
        cooldownDefaultMs: 60_000,
      },
      providers: [
        {
          id: "anth",
          name: "Anthropic",
          type: "anthropic",
          apiKey: "sk-ant-upstream",
          baseUrl: `${upstreamUrl}/anth`,
        },
        {
          id: "oa",
          name: "OA",
          type: "openai",
          apiKey: "sk-oa-upstream",
          baseUrl: `${upstreamUrl}/oa`,
        },
      ],
      chains: [
        {
          name: "coding",
          entries: [
            { provider: "anth", model: "claude-real" },
            { provider: "oa", model: "gpt-x" },
          ],
        },
        { name: "oa-only", entries: [{ provider: "oa", model: "gpt-x" }] },
        { name: "anth-only", entries: [{ provider: "anth", model: "claude-real" }] },
      ],
    }),
  );
}

/** The Anthropic SDK pointed at the gateway. */
export function anthropicClient(url: string, key = TEST_KEY) {
  return new Anthropic({ apiKey: key, baseURL: url, maxRetries: 0 });
}

export const hi = [{ role: "user" as const, content: "hi" }];
