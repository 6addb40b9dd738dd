import { UsageError } from "./cli-errors";
import type { ParsedArgs } from "./command";

type Values = ParsedArgs["values"];

export function requiredString(values: Values, flag: string): string {
  const value = values[flag];
  if (typeof value !== "string" || value.trim() === "") {
    throw new UsageError(`--${flag} is required`);
  }
  return value;
}

function optionalString(values: Values, flag: string): string | undefined {
  const value = values[flag];
  return typeof value === "string" ? value : undefined;
}

export function optionalPositiveInt(values: Values, flag: string): number | undefined {
  const value = optionalString(values, flag);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`--${flag} must be a positive whole number, got "${value}"`);
  }
  return n;
}

/** A positive decimal, e.g. a USD amount: "0.5". */
export function optionalPositiveNumber(values: Values, flag: string): number | undefined {
  const value = optionalString(values, flag);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) {
    throw new UsageError(`--${flag} must be a positive number, got "${value}"`);
  }
  return n;
}

/** "a,b , c" → ["a","b","c"]; empty items are dropped. */
export function optionalList(values: Values, flag: string): string[] | undefined {
  const value = optionalString(values, flag);
  if (value === undefined) return undefined;
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (items.length === 0) throw new UsageError(`--${flag} needs at least one name`);
  return items;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or date-time in the future; a bare date means midnight UTC. */
export function optionalFutureDate(
  values: Values,
  flag: string,
  now = new Date(),
): Date | undefined {
  const value = optionalString(values, flag);
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!ISO_DATE.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--${flag} must be an ISO 8601 date such as 2026-12-31, got "${value}"`);
  }
  if (date.getTime() <= now.getTime()) {
    throw new UsageError(`--${flag} must be in the future, got ${date.toISOString()}`);
  }
  return date;
}
