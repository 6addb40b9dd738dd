import { GatewayError, retryAfterSeconds } from "../errors";
import type { AttemptRecord } from "./attempt-record";

/**
 * No entry could serve. Quota is the cause everywhere → 429 with Retry-After (the earliest
 * time an entry frees); circuits open (and the rest cooling down) → 503; anything else → 502.
 */
export function exhaustedError(
  chain: string,
  records: AttemptRecord[],
  retryAt: number | null,
  now = Date.now(),
): GatewayError {
  const attempts = records.map((r) => r.summary);
  const causes = new Set(records.map((r) => r.cause).filter((c) => c !== "none"));
  // Without a known time, a second: the client's retry finds out again.
  const at = retryAt ?? now + 1_000;
  if (causes.size === 1 && causes.has("no_key")) {
    return new GatewayError(
      "all_providers_exhausted",
      `No provider of chain '${chain}' has a key yet: add one (admin → Providers, or the provider's apiKey in the config).`,
      { attempts, status: 503 },
    );
  }
  causes.delete("no_key");
  if (causes.size === 0) {
    return new GatewayError("all_providers_exhausted", `Chain '${chain}' has no enabled entries.`, {
      attempts,
      status: 503,
    });
  }
  if (causes.size === 1 && causes.has("quota")) {
    return new GatewayError(
      "all_providers_exhausted",
      `Every entry of chain '${chain}' is rate-limited or out of quota; retry after ${retryAfterSeconds(at, now)}s.`,
      { attempts, retryAt: at },
    );
  }
  if ([...causes].every((c) => c === "circuit" || c === "quota")) {
    return new GatewayError(
      "all_providers_exhausted",
      `Every entry of chain '${chain}' is unavailable (circuit open or cooling down).`,
      { attempts, retryAt: at, status: 503 },
    );
  }
  return new GatewayError("all_providers_exhausted", `Every entry of chain '${chain}' failed.`, {
    attempts,
    status: 502,
  });
}
