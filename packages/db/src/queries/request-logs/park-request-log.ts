import type { RequestLogJob } from "@429chain/contracts";
import type { DbExecutor } from "../../create-db";
import { requestLogDeadLetters } from "../../schema/request-log-dead-letters";
import type { WriteRefusal } from "./write-refusal";

/** Postgres refuses NUL in text; the parked row must never be refused itself. */
const storable = (s: string, max: number) => s.replaceAll("\u0000", "").slice(0, max);

/**
 * Parks a log the database refused in request_log_dead_letters, with the reason. The log is
 * kept as JSON text, which escapes every control character, so a log that held a NUL byte
 * still fits. A log already parked (a retried batch) is not parked twice. Returns whether
 * this call parked it.
 */
export async function parkRequestLog(
  db: DbExecutor,
  job: RequestLogJob,
  refusal: WriteRefusal,
  source: string,
): Promise<boolean> {
  const rows = await db
    .insert(requestLogDeadLetters)
    .values({
      requestId: storable(job.requestId, 200),
      log: JSON.stringify(job),
      sqlState: refusal.sqlState,
      error: storable(refusal.message, 1_000),
      source: storable(source, 256),
    })
    .onConflictDoNothing()
    .returning({ requestId: requestLogDeadLetters.requestId });
  return rows.length > 0;
}
