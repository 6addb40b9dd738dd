import { InvalidCursorError, listRequestLogs, type RequestLogPage } from "@429chain/db";
import type { Metadata } from "next";
import { RequestFilters } from "../../../components/requests/request-filters";
import { RequestRow } from "../../../components/requests/request-row";
import { EmptyState } from "../../../components/ui/empty-state";
import { ErrorBanner } from "../../../components/ui/error-banner";
import { requireUser } from "../../../lib/auth";
import { getDb } from "../../../lib/services";
import { loadFilterOptions } from "../../../server/requests/filter-options";
import { requestLogQuery } from "../../../server/requests/request-log-filters";

export const metadata: Metadata = { title: "Request log · 429chain" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The current filters plus `cursor`, as a query string. */
function pageHref(params: Record<string, string | string[] | undefined>, cursor: string | null) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (k !== "cursor" && typeof v === "string" && v !== "") query.set(k, v);
  }
  if (cursor) query.set("cursor", cursor);
  const text = query.toString();
  return text ? `?${text}` : "/requests";
}

export default async function RequestsPage({ searchParams }: { searchParams: SearchParams }) {
  await requireUser();
  const raw = await searchParams;
  const { params, options } = requestLogQuery(raw);
  const db = await getDb();
  const filterOptions = await loadFilterOptions(db);
  let page: RequestLogPage = { items: [], nextCursor: null };
  let error: string | null = null;
  try {
    page = await listRequestLogs(db, options);
  } catch (err) {
    // proxy.ts answers a malformed cursor with 400 before this renders; this is the backstop.
    if (!(err instanceof InvalidCursorError)) throw err;
    error = "This page link is no longer valid; showing nothing. Start again from the newest.";
  }
  const keyLabels = new Map(filterOptions.keys.map((k) => [k.id, k.label]));
  const filtered = Object.values(params).some((v) => v !== undefined);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Request log</h1>
        <p className="text-sm text-slate-600">
          Every request the gateways served, newest first (times in UTC). Expand a row to see its
          attempts. Prompts and completions are never logged.
        </p>
      </div>
      <RequestFilters params={params} options={filterOptions} />
      <ErrorBanner message={error} />
      {page.items.length === 0 ? (
        <EmptyState
          title={filtered ? "No request matches these filters" : "No requests logged yet"}
        >
          {filtered
            ? "Widen the time range or clear a filter."
            : "Send a request through the gateway (or use the Playground); it shows up here once the worker has written it."}
        </EmptyState>
      ) : (
        <div
          data-testid="request-log"
          className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white"
        >
          <div className="grid grid-cols-[10rem_1fr_1fr_7rem_4rem_5rem_6rem_7rem_5rem] gap-3 bg-slate-50 px-3 py-2 text-xs font-semibold uppercase tracking-wide text-slate-600">
            <span>Time</span>
            <span>Chain</span>
            <span>Served by</span>
            <span>Outcome</span>
            <span>Status</span>
            <span>Attempts</span>
            <span>Latency</span>
            <span>Tokens in/out</span>
            <span>Cost</span>
          </div>
          {page.items.map((log) => (
            <RequestRow
              key={log.requestId}
              log={log}
              keyLabel={log.apiKeyId ? (keyLabels.get(log.apiKeyId) ?? log.apiKeyId) : "none"}
            />
          ))}
        </div>
      )}
      <nav aria-label="Pages" className="flex gap-4 text-sm">
        {options.cursor ? (
          <a className="text-indigo-700 underline" href={pageHref(raw, null)}>
            ← Newest
          </a>
        ) : null}
        {page.nextCursor ? (
          <a className="text-indigo-700 underline" href={pageHref(raw, page.nextCursor)}>
            Older →
          </a>
        ) : null}
      </nav>
    </div>
  );
}
