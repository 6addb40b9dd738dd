import {
  ClientKeyLookupError,
  InvalidInputError,
  SecretDecryptError,
  UserChangeError,
} from "@429chain/db";
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
function fieldErrorsOf(issues: readonly string[]): Record<string, string[]> {
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
  // MASTER_KEY does not open a stored secret the change needs; the message names key ids only.
  if (err instanceof SecretDecryptError) return { status: 409, error: err.message };
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
 * What went wrong, fit to show any signed-in user: a failed query's message carries its SQL
 * and bind parameters (encrypted keys, prompts), so for one only the cause's code is given
 * (a SQLSTATE, or ECONNREFUSED and the like).
 */
export function publicCause(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (!(err instanceof DrizzleQueryError)) return err.message;
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return `database query failed${code ? ` (${String(code)})` : ""}`;
}

/** publicCause with the error's name and where it was thrown, for the server log. */
function describeUnexpected(err: unknown): string {
  const where = err instanceof Error ? (err.stack?.split("\n").slice(1, 4).join(" ") ?? "") : "";
  const name = err instanceof Error ? err.name : typeof err;
  return `${name}: ${publicCause(err)} ${where.trim()}`;
}
