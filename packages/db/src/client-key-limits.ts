import type { ClientKeyRecord } from "./queries/client-keys";

type Limits = Pick<
  ClientKeyRecord,
  | "allowedChains"
  | "rpm"
  | "dailyTokens"
  | "monthlyTokens"
  | "dailySpendMicros"
  | "monthlySpendMicros"
  | "expiresAt"
>;

export function formatChains(chains: string[] | null): string {
  return chains === null ? "all" : chains.join(",");
}

/** "daily 100000 / monthly -": both budgets in one table cell. */
export function formatBudgets(record: Pick<Limits, "dailyTokens" | "monthlyTokens">): string {
  if (record.dailyTokens === null && record.monthlyTokens === null) return "-";
  return `daily ${record.dailyTokens ?? "-"} / monthly ${record.monthlyTokens ?? "-"}`;
}

const usd = (micros: number | null) => (micros === null ? "-" : `$${micros / 1_000_000}`);

/** "daily $1 / monthly -": both spend budgets in one table cell. */
export function formatSpendBudgets(
  record: Pick<Limits, "dailySpendMicros" | "monthlySpendMicros">,
): string {
  if (record.dailySpendMicros === null && record.monthlySpendMicros === null) return "-";
  return `daily ${usd(record.dailySpendMicros)} / monthly ${usd(record.monthlySpendMicros)}`;
}

export function formatDate(date: Date | null): string {
  return date === null ? "-" : date.toISOString();
}

export function describeKeyLimits(record: Limits): string {
  return [
    `chains: ${formatChains(record.allowedChains)}`,
    `rpm: ${record.rpm ?? "-"}`,
    `token budgets: ${formatBudgets(record)}`,
    `spend budgets: ${formatSpendBudgets(record)}`,
    `expires: ${record.expiresAt === null ? "never" : record.expiresAt.toISOString()}`,
  ].join(" · ");
}
