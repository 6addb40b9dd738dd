import { and, desc, eq, gte, lt } from "drizzle-orm";
import type { DbExecutor } from "../../create-db";
import { entryRollups } from "../../schema/entry-rollups";
import { pickBucketSize, sumOf } from "./rollup-filters";

export interface EntryRateLimitCount {
  provider: string;
  model: string;
  /** Attempts on this entry that got a 429 (outcome `rate_limited`). */
  rateLimited: number;
  /** Attempts that found the entry out of quota (`quota_exhausted`). */
  quotaExhausted: number;
  /** Attempts skipped without an upstream call (cooling down or over a manual limit). */
  skipped: number;
  /** Every attempt on this entry, skipped ones included. */
  attempts: number;
}

/**
 * 429s per chain entry (provider/model of the attempt, not of the request that finally
 * served) over [from, to), from the entry rollups — the coarsest bucket size that tiles the
 * range, as for the other stats.
 */
export async function entryRateLimitCounts(
  db: DbExecutor,
  range: { from: Date; to: Date; chain?: string },
): Promise<EntryRateLimitCount[]> {
  const size = pickBucketSize(range.from, range.to);
  const from =
    size === "minute" ? new Date(Math.floor(range.from.getTime() / 60_000) * 60_000) : range.from;
  const rateLimited = sumOf(entryRollups.rateLimited);
  return db
    .select({
      provider: entryRollups.provider,
      model: entryRollups.model,
      rateLimited,
      quotaExhausted: sumOf(entryRollups.quotaExhausted),
      skipped: sumOf(entryRollups.skipped),
      attempts: sumOf(entryRollups.attempts),
    })
    .from(entryRollups)
    .where(
      and(
        eq(entryRollups.bucketSize, size),
        gte(entryRollups.bucketStart, from),
        lt(entryRollups.bucketStart, range.to),
        range.chain === undefined ? undefined : eq(entryRollups.chain, range.chain),
      ),
    )
    .groupBy(entryRollups.provider, entryRollups.model)
    .orderBy(desc(rateLimited), entryRollups.provider, entryRollups.model);
}
