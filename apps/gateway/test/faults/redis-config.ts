import type { ConfigInput } from "@429chain/contracts";
import { baseConfig } from "../harness";

/** Generous for a loaded CI machine; every answer must come well before it. */
export const DEADLINE_MS = 10_000;

/**
 * Chain "ab" carries the traffic; chain "cd" is kept quiet for the cooldown check, so only
 * the check's own requests reach c.
 */
export function redisFaultConfig(upstreamUrl: string): ConfigInput {
  const ids = ["a", "b", "c", "d"];
  return baseConfig({
    settings: { requestDeadlineMs: DEADLINE_MS },
    providers: ids.map((id) => ({
      id,
      name: id.toUpperCase(),
      type: "openai" as const,
      apiKey: `k${id}`,
      baseUrl: `${upstreamUrl}/${id}`,
    })),
    chains: [
      {
        name: "ab",
        entries: [
          { provider: "a", model: "m" },
          { provider: "b", model: "m" },
        ],
      },
      {
        name: "cd",
        entries: [
          { provider: "c", model: "m" },
          { provider: "d", model: "m" },
        ],
      },
    ],
  });
}
