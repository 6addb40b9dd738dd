import type { Document, LineCounter } from "yaml";
import type { z } from "zod";
import { formatPath } from "./format-path";
import { locate } from "./yaml-locate";

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function messageFor(issue: z.core.$ZodIssue, value: unknown, found: boolean): string {
  if (issue.code !== "invalid_type") return issue.message;
  // zod says "expected string, received undefined" for a missing key; say what to do instead.
  if (!found && value === undefined) return "is required";
  return `expected ${issue.expected}, got ${describe(value)}`;
}

/** `path: message (line N)` for each issue; a missing key points at its parent's line. */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  doc: Document,
  lineCounter: LineCounter,
): string[] {
  return issues.map((issue) => {
    const location = locate(doc, lineCounter, issue.path);
    const message = messageFor(issue, valueAt(input, issue.path), location.found);
    return `${formatPath(issue.path)}: ${message} (line ${location.line})`;
  });
}
