import { DrizzleQueryError } from "drizzle-orm";
import { isDatabaseUnavailable } from "../../unavailable";

/** Why the database refused to store something, fit to show an operator. */
export interface WriteRefusal {
  /** SQLSTATE, e.g. 54000 (index row too big) or 22021 (NUL byte); null when none. */
  sqlState: string | null;
  /** The database's message, never the statement or its bind parameters. */
  message: string;
}

const MESSAGE_MAX = 1_000;

/**
 * Serialization failures and deadlocks (class 40) and lock timeouts (55P03) say nothing about
 * the data: the same write succeeds when tried again, so they are never a refusal.
 */
const isTransientConflict = (code: string) => code.startsWith("40") || code === "55P03";

function sqlStateOf(e: Error): string | null {
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/**
 * A failed write's error → the refusal to park the data with, or null when the write should
 * simply be tried again later: the database is unavailable, or the failure was a transient
 * conflict. drizzle wraps the driver's error in one whose message holds the statement and
 * every bind parameter: that wrapper is skipped.
 */
export function writeRefusalOf(err: unknown): WriteRefusal | null {
  if (isDatabaseUnavailable(err)) return null;
  let deepest: Error | null = null;
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; depth += 1) {
    const sqlState = sqlStateOf(e);
    if (sqlState !== null) {
      if (isTransientConflict(sqlState)) return null;
      return { sqlState, message: e.message.slice(0, MESSAGE_MAX) };
    }
    if (!(e instanceof DrizzleQueryError)) deepest = e;
    e = e.cause;
  }
  const message = deepest?.message ?? (err instanceof Error ? err.name : String(err));
  return { sqlState: null, message: message.slice(0, MESSAGE_MAX) };
}
