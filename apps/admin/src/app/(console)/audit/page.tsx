import { listAuditActors, listAuditLog } from "@429chain/db";
import type { Metadata } from "next";
import Link from "next/link";
import { AuditFilters } from "../../../components/audit/audit-filters";
import { AuditTable } from "../../../components/audit/audit-table";
import { PageHeader } from "../../../components/shell/page-header";
import { EmptyState } from "../../../components/ui/empty-state";
import { requireUser } from "../../../lib/auth";
import { getDb } from "../../../lib/services";
import { parseAuditQuery } from "../../../server/audit/audit-query";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireUser();
  const query = parseAuditQuery(await searchParams);
  const db = await getDb();
  const [page, actors] = await Promise.all([
    listAuditLog(db, { ...query, limit: PAGE_SIZE }),
    listAuditActors(db),
  ]);
  const filtered = query.actor !== undefined || query.target !== undefined;
  const link = (before?: number) => {
    const params = new URLSearchParams();
    if (query.actor) params.set("actor", query.actor);
    if (query.target) params.set("target", query.target);
    if (before !== undefined) params.set("before", String(before));
    const text = params.toString();
    return text ? `/audit?${text}` : "/audit";
  };
  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit log"
        description="Every change to providers, chains, keys and users: who, when, and what it was before and after. Secrets are masked."
      />
      <AuditFilters actors={actors} actor={query.actor} target={query.target} />
      {page.entries.length === 0 ? (
        <EmptyState title={filtered ? "No entries match these filters" : "Nothing has changed yet"}>
          {filtered
            ? "Clear the filters to see every entry."
            : "Changes made here or with the CLI (config import, keys create, users create) appear in this log."}
        </EmptyState>
      ) : (
        <AuditTable entries={page.entries} />
      )}
      <nav aria-label="Pages" className="flex gap-4 text-sm">
        {query.before !== undefined ? (
          <Link className="text-indigo-700 underline" href={link()}>
            Newest
          </Link>
        ) : null}
        {page.nextBefore !== null ? (
          <Link className="text-indigo-700 underline" href={link(page.nextBefore)}>
            Older entries
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
