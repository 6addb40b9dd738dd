import type { Table } from "./bench-types";

/** Milliseconds with sub-millisecond precision, or "n/a". */
export function fmtMs(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || Number.isNaN(value)
    ? "n/a"
    : `${value.toFixed(digits)} ms`;
}

export function fmtNum(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined || Number.isNaN(value)
    ? "n/a"
    : value.toFixed(digits);
}

export function fmtSigned(value: number | null | undefined, unit = "ms", digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "n/a";
  return `${value >= 0 ? "+" : ""}${value.toFixed(digits)} ${unit}`;
}

export function renderTable(table: Table): string {
  const widths = table.headers.map((h, i) =>
    Math.max(h.length, ...table.rows.map((r) => (r[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  const rule = `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`;
  return [`${table.title}`, line(table.headers), rule, ...table.rows.map(line)].join("\n");
}
