import type { AttemptOutcome, AttemptSummary } from "@429chain/contracts";
import type { SkippedEntry } from "@429chain/quota";
import type { CompiledEntry } from "../config/snapshot";

/** Why an entry could not serve, for choosing 429 vs 502 vs 503 when none could. */
export type FailureCause = "quota" | "circuit" | "failure" | "no_key" | "none";

export interface AttemptRecord {
  summary: AttemptSummary;
  cause: FailureCause;
  /** True when an upstream call was made (skips are not calls). */
  called: boolean;
}

export function skippedRecord(entry: CompiledEntry, skip: SkippedEntry): AttemptRecord {
  const quotaReasons = new Set(["header_quota", "manual_limit", "concurrency"]);
  const cause: FailureCause =
    skip.reason === "circuit_open"
      ? "circuit"
      : skip.reason === "auth_failed"
        ? "failure"
        : "quota";
  return {
    summary: {
      provider: entry.provider.id,
      model: entry.model,
      outcome: quotaReasons.has(skip.reason) ? "skipped_quota" : "skipped_cooldown",
      status: null,
      reason: skip.detail,
      latencyMs: 0,
      cooldownUntil: skip.until,
    },
    cause,
    called: false,
  };
}

export function calledRecord(
  entry: CompiledEntry,
  outcome: AttemptOutcome,
  status: number | null,
  latencyMs: number,
  cooldownUntil: number | null,
): AttemptRecord {
  const reason = "reason" in outcome ? outcome.reason : outcome.kind;
  const cause: FailureCause =
    outcome.kind === "rate_limited" || outcome.kind === "quota_exhausted"
      ? "quota"
      : outcome.kind === "ok" || outcome.kind === "client_error" || outcome.kind === "cancelled"
        ? "none"
        : "failure";
  return {
    summary: {
      provider: entry.provider.id,
      model: entry.model,
      outcome: outcome.kind,
      status,
      reason,
      latencyMs,
      cooldownUntil,
    },
    cause,
    called: true,
  };
}

/** An entry not tried because it cannot serve what this request needs. */
export function unsupportedRecord(entry: CompiledEntry, reason: string): AttemptRecord {
  return {
    summary: {
      provider: entry.provider.id,
      model: entry.model,
      outcome: "skipped_unsupported",
      status: null,
      reason: `unsupported: ${reason}`,
      latencyMs: 0,
      cooldownUntil: null,
    },
    // Says nothing about why the chain could not serve: the answer is decided by the others.
    cause: "none",
    called: false,
  };
}

/** A paid entry not tried because its chain's (or key's) spend budget is used up. */
export function budgetRecord(entry: CompiledEntry, reason: string, until: number | null) {
  return {
    summary: {
      provider: entry.provider.id,
      model: entry.model,
      outcome: "skipped_budget",
      status: null,
      reason,
      latencyMs: 0,
      cooldownUntil: until,
    },
    // Like quota: the chain cannot serve until a budget window ends (429, Retry-After).
    cause: "quota",
    called: false,
  } satisfies AttemptRecord;
}

/** An entry not tried because its provider's key is still a placeholder. */
export function noKeyRecord(entry: CompiledEntry): AttemptRecord {
  return {
    summary: {
      provider: entry.provider.id,
      model: entry.model,
      outcome: "skipped_no_key",
      status: null,
      reason: `add a key for provider '${entry.provider.id}' (admin → Providers, or its apiKey in the config)`,
      latencyMs: 0,
      cooldownUntil: null,
    },
    cause: "no_key",
    called: false,
  };
}
