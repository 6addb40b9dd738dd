import type { z } from "zod";

/** A request problem as the OpenAI error envelope carries it: `param` is the JSON path. */
export interface RequestProblem {
  message: string;
  param: string | null;
}

type Issue = z.core.$ZodIssue;

/** Words for a value of a type none of a discriminated union's options takes; else default. */
export type UnsupportedTypeMessage = (
  param: string,
  shown: string,
  value: unknown,
) => string | undefined;

/**
 * Names the first zod issue by its JSON path (`input[2].content[0].type`), the same way for
 * every API surface. Unions are followed into the branch the value was meant for, so a bad
 * part deep in a list is reported there rather than as "input: invalid input". A missing
 * value is told apart from a wrong one by looking at the body itself.
 */
export function describeIssue(
  issue: Issue,
  body: unknown,
  unsupported?: UnsupportedTypeMessage,
): RequestProblem {
  const { leaf, path, expected } = resolveUnion(issue, []);
  const param = formatPath(path);
  if (leaf.code === "unrecognized_keys") {
    const key = formatPath([...path, leaf.keys[0] ?? ""]);
    return { message: `Unsupported parameter: '${key}'.`, param: key };
  }
  const value = valueAt(body, path);
  if (value === undefined) return { message: `'${param}' is required.`, param };
  if (expected) return { message: `Invalid '${param}': expected ${expected}.`, param };
  if (leaf.code === "invalid_union" && leaf.discriminator !== undefined) {
    const options = "options" in leaf ? (leaf.options ?? []) : [];
    return { message: unsupportedType(param, value, options, unsupported), param };
  }
  return { message: `Invalid '${param}': ${leaf.message}.`, param };
}

interface Resolved {
  leaf: Issue;
  path: PropertyKey[];
  /** Set when the value matched no branch's type at all: the types it may have. */
  expected?: string;
}

function resolveUnion(issue: Issue, base: PropertyKey[]): Resolved {
  const path = [...base, ...issue.path];
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return { leaf: issue, path };
  // The branch the value was meant for is the one that got furthest into it; a branch that
  // only says "not my type" (a string for an array branch) was not meant at all.
  let best: Issue[] | undefined;
  let bestRank = 0;
  for (const branch of issue.errors) {
    const rank = meantRank(branch);
    if (rank > bestRank) [best, bestRank] = [branch, rank];
  }
  const first = best && firstIssue(best);
  if (first) return resolveUnion(first, path);
  const types = issue.errors.flatMap((b) => (b[0]?.code === "invalid_type" ? [b[0].expected] : []));
  return { leaf: issue, path, expected: types.join(" or ") };
}

function meantRank(branch: readonly Issue[]): number {
  const meant = branch.filter((i) => !(i.code === "invalid_type" && i.path.length === 0));
  if (meant.length === 0) return 0;
  return 1 + Math.max(...meant.map((i) => i.path.length));
}

/**
 * The issue to report among several: an unknown field first (an image given by `file_id`
 * is better told "file_id is unsupported" than "image_url is required"), else the first.
 */
export function firstIssue(issues: readonly Issue[]): Issue | undefined {
  return issues.find((i) => i.code === "unrecognized_keys") ?? issues[0];
}

function unsupportedType(
  param: string,
  value: unknown,
  options: readonly unknown[],
  custom: UnsupportedTypeMessage | undefined,
): string {
  const shown = `Invalid '${param}': '${typeof value === "string" ? value : JSON.stringify(value)}' is not supported`;
  const message = custom?.(param, shown, value);
  if (message) return message;
  const expected = options.filter((o) => typeof o === "string").map((o) => `'${o}'`);
  return `${shown}; expected ${expected.join(", ")}.`;
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let node = body;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    out += typeof part === "number" ? `[${part}]` : out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}
