import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { DbExecutor } from "../../create-db";
import { requestAttempts, requestLogs } from "../../schema/request-logs";

export interface EntryRateLimitCount {
  provider: string;
  model: string;
  /** Attempts on this entry that got a 429 (outcome `rate_limited`). */
  rateLimited: number;
  /** Every attempt on this entry, skipped ones included. */
  attempts: number;
}

/**
 * 429s per chain entry (provider/model of the attempt, not of the request that finally
 * served) over [from, to). Read from raw attempts, so limited to the log retention window.
 */
export async function entryRateLimitCounts(
  db: DbExecutor,
  range: { from: Date; to: Date; chain?: string },
): Promise<EntryRateLimitCount[]> {
  const rateLimited =
    sql<number>`count(*) FILTER (WHERE ${requestAttempts.outcome} = 'rate_limited')`.mapWith(
      Number,
    );
  return db
    .select({
      provider: requestAttempts.provider,
      model: requestAttempts.model,
      rateLimited,
      attempts: sql<number>`count(*)`.mapWith(Number),
    })
    .from(requestAttempts)
    .innerJoin(requestLogs, eq(requestLogs.requestId, requestAttempts.requestId))
    .where(
      and(
        gte(requestLogs.at, range.from),
        lt(requestLogs.at, range.to),
        range.chain === undefined ? undefined : eq(requestLogs.chain, range.chain),
      ),
    )
    .groupBy(requestAttempts.provider, requestAttempts.model)
    .orderBy(desc(rateLimited), requestAttempts.provider, requestAttempts.model);
}
