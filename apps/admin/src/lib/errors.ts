import { ClientKeyLookupError, InvalidInputError, UserChangeError } from "@429chain/db";
import { DrizzleQueryError } from "drizzle-orm";

/** An expected refusal with the message to show: thrown by action bodies and route handlers. */
export class ActionError extends Error {
  override readonly name = "ActionError";
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
  }
}

export class UnauthenticatedError extends ActionError {
  constructor() {
    super(401, "Your session has ended: log in again.");
  }
}

export class ForbiddenError extends ActionError {
  constructor(message = "Your role may not do this: ask an admin.") {
    super(403, message);
  }
}

export class CrossSiteError extends ActionError {
  constructor() {
    super(403, "Refused a request from another site.");
  }
}

export interface DescribedError {
  status: number;
  error: string;
  fieldErrors?: Record<string, string[]>;
}

/** "path: message" issue lines (InvalidInputError's form) grouped by top-level field. */
export function fieldErrorsOf(issues: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const colon = issue.indexOf(": ");
    const field = colon > 0 ? issue.slice(0, colon).split(".")[0]! : "(root)";
    out[field] = [...(out[field] ?? []), colon > 0 ? issue.slice(colon + 2) : issue];
  }
  return out;
}

function pgCodeOf(err: unknown): { code: string; detail?: string } | null {
  // drizzle wraps the driver's error; the Postgres SQLSTATE sits on the cause.
  for (let e = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, detail: (e as { detail?: string }).detail };
    }
  }
  return null;
}

/**
 * The one mapping from errors to what the user sees. Unknown errors are logged and shown
 * generically: their messages may hold internals.
 */
export function describeError(err: unknown): DescribedError {
  if (err instanceof ActionError) {
    return { status: err.status, error: err.message, fieldErrors: err.fieldErrors };
  }
  if (err instanceof InvalidInputError) {
    return { status: 400, error: err.issues.join("; "), fieldErrors: fieldErrorsOf(err.issues) };
  }
  if (err instanceof ClientKeyLookupError) {
    return { status: err.reason === "not_found" ? 404 : 409, error: err.message };
  }
  if (err instanceof UserChangeError) {
    return { status: err.reason === "not_found" ? 404 : 409, error: err.message };
  }
  const pg = pgCodeOf(err);
  if (pg?.code === "23505") {
    return { status: 409, error: `already exists${pg.detail ? `: ${pg.detail}` : ""}` };
  }
  if (pg?.code === "23503") {
    return { status: 409, error: `still in use${pg.detail ? `: ${pg.detail}` : ""}` };
  }
  console.error(`admin: unexpected error: ${describeUnexpected(err)}`);
  return { status: 500, error: "Something went wrong on the server; its log has the details." };
}

/**
 * Name, SQLSTATE and stack of an unexpected error, without its message's data: a failed
 * query's message carries its bind parameters, which may hold encrypted keys or prompts.
 */
function describeUnexpected(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const cause = err.cause instanceof Error ? err.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  const where = err.stack?.split("\n").slice(1, 4).join(" ").trim() ?? "";
  const what = err instanceof DrizzleQueryError ? "database query failed" : err.message;
  return `${err.name}: ${what}${code ? ` (SQLSTATE ${String(code)})` : ""} ${where}`;
}
