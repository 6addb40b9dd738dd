import { type Config, ConfigSchema } from "@429chain/contracts";
import { chainOf } from "@429chain/testing";
import type { Session } from "../../lib/auth";

export const admin: Session = {
  sessionId: "s-admin",
  user: { id: "u1", email: "admin@example.com", role: "admin" },
};
export const viewer: Session = {
  sessionId: "s-viewer",
  user: { id: "u2", email: "viewer@example.com", role: "viewer" },
};
export const sameOrigin = new Headers({ origin: "http://127.0.0.1:3431", host: "127.0.0.1:3431" });

/** Two chains sharing groq-free/llama; a disabled entry that must not be watched. */
export function observeConfig(): Config {
  return ConfigSchema.parse({
    version: 1,
    providers: [
      { id: "groq-free", name: "Groq", type: "groq", apiKey: "gsk_observe_test_0001" },
      {
        id: "oai",
        name: "OpenAI",
        type: "openai",
        apiKey: "sk-observe-test-0002",
        modelRateLimits: { "gpt-4o-mini": { requestsPerMinute: 10 } },
      },
    ],
    chains: [
      chainOf("fast", ["groq-free/llama", "oai/gpt-4o-mini"]),
      chainOf("cheap", ["groq-free/llama", { provider: "oai", model: "gpt-4o", enabled: false }]),
    ],
    settings: { defaultChain: "fast" },
  });
}
