/** Node socket errors that mean the server could not be reached. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "EHOSTUNREACH",
]);

/**
 * SQLSTATE classes meaning "the database is not there right now" rather than "this data is
 * wrong": connection exceptions (08), insufficient resources (53), operator intervention such
 * as a shutdown or a server still starting (57), and an unknown database (3D000).
 */
function isUnavailableSqlState(code: string): boolean {
  return /^(08|53|57)/.test(code) || code === "3D000";
}

/** node-postgres raises these without a code when a connection dies or cannot be had. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|connection error|Client was closed/i;

/**
 * True when an error (or any error in its `cause` chain, which drizzle adds) says the
 * database is unreachable, so the work should wait and be retried rather than count as a
 * failure of the data.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (SOCKET_CODES.has(code) || isUnavailableSqlState(code)))
      return true;
    if (UNAVAILABLE_MESSAGE.test(e.message)) return true;
    e = e.cause;
  }
  return false;
}
