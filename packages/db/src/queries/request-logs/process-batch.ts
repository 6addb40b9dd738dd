import type { RequestLogJob } from "@429chain/contracts";
import type { Db } from "../../create-db";
import { parkRequestLog } from "./park-request-log";
import { storeRequestLogs } from "./store-batch";
import { writeRefusalOf } from "./write-refusal";

export interface ProcessBatchResult {
  /** Logs stored by this call. */
  inserted: number;
  /** Logs stored or parked before, or repeated within the batch. */
  duplicates: number;
  /** Logs the database refused, parked by this call in request_log_dead_letters. */
  deadLettered: number;
}

interface ProcessBatchOptions {
  /** Who is writing, recorded with a parked log: `worker:<host>` or `gateway:<replica>`. */
  source?: string;
}

interface Stored {
  inserted: number;
  parked: number;
}

/**
 * One transaction for the whole batch; if the database refuses it, the halves are tried on
 * their own, down to single logs, and a refused single log is parked. Each transaction that
 * commits stores its logs exactly once, so the good logs of a refused batch are all stored.
 * Unavailable or a transient conflict: the error goes up and the caller retries the whole
 * batch later, which finds what was stored or parked already and adds nothing twice.
 */
async function storeIsolating(db: Db, jobs: RequestLogJob[], source: string): Promise<Stored> {
  try {
    return { inserted: await storeRequestLogs(db, jobs), parked: 0 };
  } catch (err) {
    const refusal = writeRefusalOf(err);
    if (refusal === null) throw err;
    const [only] = jobs;
    if (jobs.length === 1 && only) {
      return { inserted: 0, parked: (await parkRequestLog(db, only, refusal, source)) ? 1 : 0 };
    }
    const half = Math.ceil(jobs.length / 2);
    const first = await storeIsolating(db, jobs.slice(0, half), source);
    const second = await storeIsolating(db, jobs.slice(half), source);
    return { inserted: first.inserted + second.inserted, parked: first.parked + second.parked };
  }
}

/**
 * Stores a batch of request-log jobs exactly once (see storeRequestLogs). A log the database
 * refuses for any reason but being unavailable never takes the others with it: it is parked
 * in request_log_dead_letters with the reason and the rest is stored. Rejects only when the
 * database is unavailable (or a transient conflict): retrying the same batch is then safe.
 */
export async function processRequestLogBatch(
  db: Db,
  jobs: readonly RequestLogJob[],
  options: ProcessBatchOptions = {},
): Promise<ProcessBatchResult> {
  if (jobs.length === 0) return { inserted: 0, duplicates: 0, deadLettered: 0 };
  // The same request twice in one batch is a duplicate too: keep the first.
  const byId = new Map<string, RequestLogJob>();
  for (const j of jobs) if (!byId.has(j.requestId)) byId.set(j.requestId, j);
  const { inserted, parked } = await storeIsolating(
    db,
    [...byId.values()],
    options.source ?? "unknown",
  );
  return { inserted, duplicates: jobs.length - inserted - parked, deadLettered: parked };
}
