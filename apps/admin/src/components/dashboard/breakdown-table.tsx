import type { BreakdownRow } from "../../server/dashboard/dashboard-data";
import { Table, TBody, Td, THead, Th, Tr } from "../ui/table";
import { formatInt, formatMs, formatPercent, formatUsd } from "./format";

const SHOWN = 10;

export function BreakdownTable({ title, rows }: { title: string; rows: BreakdownRow[] }) {
  const rest = rows.length - SHOWN;
  return (
    <div
      data-testid={`breakdown-${title.toLowerCase().replace(/\W+/g, "-")}`}
      className="space-y-1"
    >
      <h3 className="text-sm font-semibold text-slate-800">By {title}</h3>
      <Table>
        <THead>
          <tr>
            <Th>{title}</Th>
            <Th className="text-right">Requests</Th>
            <Th className="text-right">Success</Th>
            <Th className="text-right">429s</Th>
            <Th className="text-right">Tokens in / out</Th>
            <Th className="text-right">Avg latency</Th>
            <Th className="text-right">Spent</Th>
          </tr>
        </THead>
        <TBody>
          {rows.slice(0, SHOWN).map((r) => (
            <Tr key={r.key ?? ""}>
              <Td className="max-w-48 truncate font-mono text-xs" title={r.label}>
                {r.label}
              </Td>
              <Td className="text-right tabular-nums">{formatInt(r.requests)}</Td>
              <Td className="text-right tabular-nums">{formatPercent(r.successRate)}</Td>
              <Td className="text-right tabular-nums">{formatInt(r.rateLimitedAttempts)}</Td>
              <Td className="text-right tabular-nums">
                {formatInt(r.promptTokens)} / {formatInt(r.completionTokens)}
              </Td>
              <Td className="text-right tabular-nums">{formatMs(r.latencyAvgMs)}</Td>
              <Td className="text-right tabular-nums">{formatUsd(r.costMicros)}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
      {rest > 0 ? <p className="text-xs text-slate-500">and {rest} more</p> : null}
    </div>
  );
}
