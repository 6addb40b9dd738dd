import { CliError } from "./cli-errors";

export interface DescribedError {
  lines: string[];
  /** For DEBUG=1: the stack of the error that caused it, never a query's parameters. */
  stack: string | undefined;
}

interface DatabaseErrorLike {
  code?: string;
  detail?: string;
  message: string;
}

// drizzle wraps driver errors in one whose message lists the query's parameters: hashes,
// ciphertexts. Only the driver's own error (the cause) is ever shown.
function unwrapQueryError(err: Error): Error {
  if ("query" in err && "params" in err && err.cause instanceof Error) return err.cause;
  return err;
}

/** Driver errors the operator can act on, by SQLSTATE or Node error code. */
function describeDatabaseError(err: DatabaseErrorLike): string | undefined {
  switch (err.code) {
    case "42P01":
      return `the database has no 429chain tables yet: run \`429chain migrate\` first (${err.message})`;
    case "23505":
      return err.detail ?? err.message;
    case "3D000":
    case "28P01":
    case "28000":
      return `cannot open the database: ${err.message}`;
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "ETIMEDOUT":
      return `cannot reach the database server: ${err.message}`;
    default:
      return undefined;
  }
}

/** The operator-facing lines for any error; the message alone, never a stack trace. */
export function describeError(thrown: unknown): DescribedError {
  if (!(thrown instanceof Error)) return { lines: [String(thrown)], stack: undefined };
  const err = unwrapQueryError(thrown);
  const stack = err.stack;
  if (err instanceof CliError) return { lines: [...err.details, err.message], stack };
  if (err instanceof AggregateError && err.errors.length > 0) {
    // node's happy-eyeballs connect fails with one error per address tried.
    return describeError(err.errors[0]);
  }
  const database = describeDatabaseError(err as DatabaseErrorLike);
  if (database) return { lines: [database], stack };
  return { lines: err.message.split("\n"), stack };
}
