"use client";

import { useState, useTransition } from "react";
import { clearCooldownAction } from "../../server/observe/clear-cooldown-action";
import type { LiveEntry, LiveState } from "../../server/observe/live-state";
import { Button } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { ErrorBanner } from "../ui/error-banner";
import { Table, TBody, Td, THead, Th, Tr } from "../ui/table";
import { applyUpdate } from "./apply-event";
import { formatDuration } from "./format-duration";
import { StatusBadge } from "./status-badge";
import { ConnectionStatus, useLiveStream, useNow } from "./use-live-stream";
import { WindowsCell } from "./windows-cell";

/** The live table: state arrives by server push (SSE); only the countdowns tick locally. */
export function LiveRateLimits({ initial, canClear }: { initial: LiveState; canClear: boolean }) {
  const [state, setState] = useState<LiveState | null>(initial);
  const connection = useLiveStream("/api/ratelimits/stream", {
    snapshot: (data) => setState(data as LiveState),
    update: (data) => setState((s) => applyUpdate(s, data as { at: number; entries: LiveEntry[] })),
  });
  const now = useNow();

  return (
    <div className="space-y-3">
      <p className="text-xs text-slate-500">
        <ConnectionStatus connection={connection} testId="ratelimit-connection" />
        {state?.kind === "ok" ? ` · config version ${state.configVersion}` : null}
      </p>
      <StateView state={state} now={now} canClear={canClear} />
    </div>
  );
}

function StateView(props: { state: LiveState | null; now: number; canClear: boolean }) {
  const { state } = props;
  if (state === null) return null;
  if (state.kind === "error") return <ErrorBanner message={state.message} />;
  if (state.kind === "no_config" || state.entries.length === 0) {
    return (
      <EmptyState title="No entries to watch">
        Add a provider and a chain that uses it (Providers, Chains); its entries show up here as
        soon as the config is saved.
      </EmptyState>
    );
  }
  return (
    <Table data-testid="ratelimit-table">
      <THead>
        <tr>
          <Th>Entry</Th>
          <Th>Status</Th>
          <Th>Reason</Th>
          <Th>Remaining per window</Th>
          <Th>In flight</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </THead>
      <TBody>
        {state.entries.map((e) => (
          <EntryRow key={e.label} entry={e} now={props.now} canClear={props.canClear} />
        ))}
      </TBody>
    </Table>
  );
}

function EntryRow({ entry, now, canClear }: { entry: LiveEntry; now: number; canClear: boolean }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const until = entry.cooldownUntil;
  const clearable = entry.status !== "available" && entry.status !== "tracking";
  const clear = () =>
    startTransition(async () => {
      const result = await clearCooldownAction({ provider: entry.provider, model: entry.model });
      setError(result.ok ? null : result.error);
    });
  return (
    <Tr data-testid="ratelimit-row" data-entry={entry.label} data-status={entry.status}>
      <Td>
        <div className="font-mono text-xs font-medium">{entry.label}</div>
        <div className="text-xs text-slate-500">chains: {entry.chains.join(", ")}</div>
      </Td>
      <Td>
        <StatusBadge status={entry.status} />
        {until !== null && until > now - 1000 ? (
          <div className="mt-1 text-xs tabular-nums text-slate-600">
            for <span data-testid="ratelimit-countdown">{formatDuration(until - now)}</span>
          </div>
        ) : null}
      </Td>
      <Td className="max-w-xs text-xs">
        {entry.reason ?? <span className="text-slate-400">—</span>}
        {entry.consecutiveFailures > 0 ? (
          <div className="text-slate-500">{entry.consecutiveFailures} failures in a row</div>
        ) : null}
      </Td>
      <Td>
        <WindowsCell windows={entry.windows} now={now} />
      </Td>
      <Td className="tabular-nums">{entry.inFlight}</Td>
      <Td>
        {canClear && clearable ? (
          <Button
            size="sm"
            variant="secondary"
            disabled={pending}
            onClick={clear}
            aria-label={`Clear cooldown of ${entry.label}`}
          >
            {pending ? "Clearing…" : "Clear cooldown"}
          </Button>
        ) : null}
        <ErrorBanner message={error} />
      </Td>
    </Tr>
  );
}
