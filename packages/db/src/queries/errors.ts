import type { z } from "zod";

/** "path: message" lines, the form every config error in this project takes. */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "(root)"}: ${i.message}`);
}

/** An import was refused; the database is unchanged. */
export class ConfigImportError extends Error {
  override readonly name = "ConfigImportError";
  constructor(readonly issues: string[]) {
    super(`config import refused:\n  ${issues.join("\n  ")}`);
  }
}

type ConfigSnapshotErrorCode = "empty" | "invalid" | "secrets";

/** The stored config cannot make a snapshot; a gateway keeps serving its previous one. */
export class ConfigSnapshotError extends Error {
  override readonly name = "ConfigSnapshotError";
  constructor(
    readonly code: ConfigSnapshotErrorCode,
    readonly issues: string[],
  ) {
    super(`config snapshot rejected (${code}):\n  ${issues.join("\n  ")}`);
  }
}

/** Input to a write (client key, user) failed its schema; nothing was written. */
export class InvalidInputError extends Error {
  override readonly name = "InvalidInputError";
  constructor(readonly issues: string[]) {
    super(`invalid input:\n  ${issues.join("\n  ")}`);
  }
}

export class ClientKeyLookupError extends Error {
  override readonly name = "ClientKeyLookupError";
  constructor(
    readonly reason: "not_found" | "ambiguous",
    message: string,
  ) {
    super(message);
  }
}

/** A user change was refused; nothing was written. */
export class UserChangeError extends Error {
  override readonly name = "UserChangeError";
  constructor(
    readonly reason: "not_found" | "last_admin",
    message: string,
  ) {
    super(message);
  }
}
