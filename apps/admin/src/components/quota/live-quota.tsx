"use client";

import type { EntryLedger } from "@429chain/contracts";
import { useEffect, useMemo, useState } from "react";
import type { QuotaView } from "../../server/observe/quota-view";
import { EmptyState } from "../ui/empty-state";
import { ErrorBanner } from "../ui/error-banner";
import { ChainQuotaCard } from "./chain-quota-card";

type Connection = "connecting" | "live" | "reconnecting" | "closed";

/** The Quota page: every chain's ledger, pushed by the server (SSE) as it changes. */
export function LiveQuota({ initial }: { initial: QuotaView }) {
  const [view, setView] = useState<QuotaView>(initial);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const source = new EventSource("/api/quota/stream");
    source.addEventListener("open", () => setConnection("live"));
    source.addEventListener("error", () =>
      setConnection(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting"),
    );
    source.addEventListener("ended", () => {
      source.close();
      setConnection("closed");
    });
    source.addEventListener("snapshot", (e) => setView(JSON.parse(e.data) as QuotaView));
    return () => source.close();
  }, []);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

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
        <span
          data-testid="quota-connection"
          data-state={connection}
          className={connection === "live" ? "text-emerald-700" : "text-amber-700"}
        >
          {connection === "live"
            ? "● live"
            : connection === "connecting"
              ? "○ connecting…"
              : connection === "reconnecting"
                ? "○ connection lost, reconnecting…"
                : "○ live updates stopped: reload the page (you may need to log in again)"}
        </span>
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
