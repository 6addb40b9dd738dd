/**
 * The message to print for an error. drizzle wraps driver errors in one whose message lists
 * the query's parameters (password hashes, ciphertexts), so only the driver's own is shown.
 */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if ("query" in err && "params" in err && err.cause instanceof Error) return err.cause.message;
  if (err instanceof AggregateError && err.errors[0] instanceof Error) {
    // node's happy-eyeballs connect fails with one error per address tried.
    return err.errors[0].message;
  }
  return err.message;
}

/** The SQLSTATE or Node error code behind an error, looking through drizzle's wrapper. */
export function errorCode(err: unknown): string | undefined {
  const inner = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (inner as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
