import type { ConfigInput } from "@429chain/contracts";
import { baseConfig } from "../harness";

/** Time an upstream that never answers gets before the attempt is abandoned. */
export const HANG_TIMEOUT_MS = 1_000;
export const DEADLINE_MS = 20_000;

/**
 * One provider per fault (base URL `<upstream>/<id>`) and a chain per fault named after it:
 * the faulty entry, then the healthy `ok` entry. Faults never share entry state, and the
 * breaker never opens, so every request reaches its faulty entry first.
 */
export function faultChainsConfig(
  upstreamUrl: string,
  faults: readonly string[],
  hanging: readonly string[] = [],
): ConfigInput {
  const provider = (id: string) => ({
    id,
    name: id,
    type: "openai" as const,
    apiKey: `k-${id}`,
    baseUrl: `${upstreamUrl}/${id}`,
    ...(hanging.includes(id) ? { timeouts: { firstByteMs: HANG_TIMEOUT_MS } } : {}),
  });
  return baseConfig({
    settings: {
      requestDeadlineMs: DEADLINE_MS,
      circuitBreakerThreshold: 1_000,
      midStreamFailureThreshold: 1_000,
    },
    providers: [...faults, "ok"].map(provider),
    chains: faults.map((id) => ({
      name: id,
      entries: [
        { provider: id, model: "m" },
        { provider: "ok", model: "m" },
      ],
    })),
  });
}
