import type { Db } from "@429chain/db";
import type { ReactNode } from "react";
import { loadRateLimitsPerEntry } from "../../server/dashboard/dashboard-data";
import type { DashboardRange } from "../../server/dashboard/dashboard-range";
import { Table, TBody, Td, THead, Th, Tr } from "../ui/table";
import { formatInt, formatPercent } from "./format";

export function RateLimitsPerEntryFrame({ children }: { children: ReactNode }) {
  return (
    <div data-testid="rate-limits-per-entry" className="space-y-1">
      <h3 className="text-sm font-semibold text-slate-800">429s per entry</h3>
      {children}
    </div>
  );
}

/**
 * 429s per chain entry, from the entry rollups. An async server component the page streams in
 * under a Suspense boundary, so the tiles never wait for it.
 */
export async function RateLimitsPerEntry({ db, range }: { db: Db; range: DashboardRange }) {
  const rows = await loadRateLimitsPerEntry(db, range);
  return (
    <RateLimitsPerEntryFrame>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">No upstream answered 429 in this range.</p>
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>Entry</Th>
              <Th className="text-right">429s</Th>
              <Th className="text-right">Attempts</Th>
              <Th className="text-right">Share</Th>
            </tr>
          </THead>
          <TBody>
            {rows.map((r) => (
              <Tr key={`${r.provider}/${r.model}`}>
                <Td className="font-mono text-xs">
                  {r.provider}/{r.model}
                </Td>
                <Td className="text-right tabular-nums">{formatInt(r.rateLimited)}</Td>
                <Td className="text-right tabular-nums">{formatInt(r.attempts)}</Td>
                <Td className="text-right tabular-nums">
                  {formatPercent(r.attempts > 0 ? r.rateLimited / r.attempts : 0)}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </RateLimitsPerEntryFrame>
  );
}
