import type { Metadata } from "next";
import { Suspense } from "react";
import { BreakdownTable } from "../../../components/dashboard/breakdown-table";
import { DashboardCharts } from "../../../components/dashboard/dashboard-charts";
import { DashboardTiles } from "../../../components/dashboard/dashboard-tiles";
import { RangePicker } from "../../../components/dashboard/range-picker";
import {
  RateLimitsPerEntry,
  RateLimitsPerEntryFrame,
} from "../../../components/dashboard/rate-limits-per-entry";
import { EmptyState } from "../../../components/ui/empty-state";
import { ErrorBanner } from "../../../components/ui/error-banner";
import { requireUser } from "../../../lib/auth";
import { getDb } from "../../../lib/services";
import { loadDashboard } from "../../../server/dashboard/dashboard-data";
import {
  DashboardRangeError,
  resolveDashboardRange,
} from "../../../server/dashboard/dashboard-range";

export const metadata: Metadata = { title: "Dashboard · 429chain" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function DashboardPage({ searchParams }: { searchParams: SearchParams }) {
  await requireUser();
  const params = await searchParams;
  let range: ReturnType<typeof resolveDashboardRange>;
  let rangeError: string | null = null;
  try {
    range = resolveDashboardRange(params, Date.now());
  } catch (err) {
    if (!(err instanceof DashboardRangeError)) throw err;
    rangeError = err.message;
    range = resolveDashboardRange({ range: "24h" }, Date.now());
  }
  const db = await getDb();
  const data = await loadDashboard(db, range);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold text-slate-900">Dashboard</h1>
          <p className="text-sm text-slate-600">
            Traffic through the gateways, from the usage rollups (times in UTC).
          </p>
        </div>
        <RangePicker range={range} />
      </div>
      <ErrorBanner message={rangeError} />
      {data.overview.requests === 0 ? (
        <EmptyState title="No requests in this range">
          Send a first request through the gateway with a client key (API keys page), e.g.{" "}
          <code className="rounded bg-slate-100 px-1 font-mono text-xs">
            curl $GATEWAY_URL/v1/chat/completions -H "Authorization: Bearer sk-429-…" -d
            {' \'{"model":"<chain>","messages":[{"role":"user","content":"hi"}]}\''}
          </code>
          , or use the Playground. Logged requests appear here once the worker has written them (a
          few seconds); pick a wider range to see older traffic.
        </EmptyState>
      ) : (
        <>
          <DashboardTiles overview={data.overview} />
          <DashboardCharts series={data.series} />
          <div className="grid gap-6 xl:grid-cols-2">
            <BreakdownTable title="Provider" rows={data.breakdowns.provider} />
            <BreakdownTable title="Model" rows={data.breakdowns.model} />
            <BreakdownTable title="Chain" rows={data.breakdowns.chain} />
            <BreakdownTable title="API key" rows={data.breakdowns.apiKey} />
          </div>
          <Suspense
            fallback={
              <RateLimitsPerEntryFrame>
                <p className="text-sm text-slate-500">Counting 429s per entry…</p>
              </RateLimitsPerEntryFrame>
            }
          >
            <RateLimitsPerEntry db={db} range={range} />
          </Suspense>
        </>
      )}
    </div>
  );
}
