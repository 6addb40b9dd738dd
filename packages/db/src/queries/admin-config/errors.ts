import type { z } from "zod";

/** One problem with a write, `path` relative to the input that was written ("baseUrl"). */
interface FieldIssue {
  path: string;
  message: string;
}

type ConfigWriteErrorCode = "invalid" | "not_found" | "in_use" | "default_chain";

/** A config write was refused; nothing was written. The message is fit to show an operator. */
export class ConfigWriteError extends Error {
  override readonly name = "ConfigWriteError";
  constructor(
    readonly code: ConfigWriteErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }

  /** Issues grouped by path, the shape forms show next to their fields. */
  get fieldErrors(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const issue of this.issues) out[issue.path] = [...(out[issue.path] ?? []), issue.message];
    return out;
  }
}

/** deleteProvider refused: chains still list the provider. */
export class ProviderInUseError extends ConfigWriteError {
  constructor(
    readonly providerId: string,
    readonly chains: string[],
  ) {
    super(
      "in_use",
      `provider ${providerId} is used by chain${chains.length > 1 ? "s" : ""} ${chains.join(", ")}`,
    );
  }
}

/** deleteChain refused: live client keys may use only chains that include it. */
export class ChainInUseError extends ConfigWriteError {
  constructor(
    readonly chain: string,
    readonly keys: string[],
  ) {
    super(
      "in_use",
      `chain ${chain} is allowed for API key${keys.length > 1 ? "s" : ""} ${keys.join(", ")}: ` +
        "change or revoke them before deleting it",
    );
  }
}

/** `what is invalid: path: message; …`, with issue paths relative to `focus` when under it. */
export function invalidInput(
  what: string,
  issues: readonly z.core.$ZodIssue[],
  focus: readonly PropertyKey[] = [],
): ConfigWriteError {
  const fieldIssues = issues.map((i) => ({
    path: relativePath(i.path, focus),
    message: i.message,
  }));
  const summary = fieldIssues.map((i) => `${i.path}: ${i.message}`).join("; ");
  return new ConfigWriteError("invalid", `${what} is invalid: ${summary}`, fieldIssues);
}

function relativePath(path: readonly PropertyKey[], focus: readonly PropertyKey[]): string {
  const under = focus.length > 0 && focus.every((key, i) => path[i] === key);
  const rest = under ? path.slice(focus.length) : path;
  return rest.length > 0 ? rest.map(String).join(".") : "(root)";
}
