"use client";

import type { EntryLedger } from "@429chain/contracts";
import { useMemo, useState } from "react";
import type { QuotaView } from "../../server/observe/quota-view";
import { ConnectionStatus, useLiveStream, useNow } from "../ratelimits/use-live-stream";
import { EmptyState } from "../ui/empty-state";
import { ErrorBanner } from "../ui/error-banner";
import { ChainQuotaCard } from "./chain-quota-card";

/** The Quota page: every chain's ledger, pushed by the server (SSE) as it changes. */
export function LiveQuota({ initial }: { initial: QuotaView }) {
  const [view, setView] = useState<QuotaView>(initial);
  const connection = useLiveStream("/api/quota/stream", {
    snapshot: (data) => setView(data as QuotaView),
  });
  const now = useNow();

  const entries = useMemo(
    () =>
      new Map<string, EntryLedger>(
        view.kind === "ok" ? view.ledger.entries.map((e) => [e.label, e]) : [],
      ),
    [view],
  );

  return (
    <div className="space-y-3">
      <p className="text-xs text-slate-500">
        <ConnectionStatus connection={connection} testId="quota-connection" />
        {view.kind === "ok" && view.ledger.stateStore === "degraded"
          ? " · the gateway serves from local state (Redis unreachable)"
          : null}
      </p>
      {view.kind === "error" ? <ErrorBanner message={view.message} /> : null}
      {view.kind === "no_config" || (view.kind === "ok" && view.ledger.chains.length === 0) ? (
        <EmptyState title="No chains yet">
          Add a provider and a chain that uses it (Providers, Chains); its quota shows up here.
        </EmptyState>
      ) : null}
      {view.kind === "ok"
        ? view.ledger.chains.map((chain) => (
            <ChainQuotaCard key={chain.name} chain={chain} entries={entries} now={now} />
          ))
        : null}
    </div>
  );
}
