import type { RequestLogWithAttempts } from "@429chain/db";
import { formatInt, formatMs, formatUsd, formatUtc } from "../dashboard/format";
import { OutcomeBadge } from "./outcome-badge";

/** One request; expanding it lists every attempt (skipped entries included). */
export function RequestRow({ log, keyLabel }: { log: RequestLogWithAttempts; keyLabel: string }) {
  const served = log.provider && log.model ? `${log.provider}/${log.model}` : "—";
  return (
    <details data-testid="request-row" data-request-id={log.requestId} className="group">
      <summary className="grid cursor-pointer grid-cols-[10rem_1fr_1fr_7rem_4rem_5rem_6rem_7rem_5rem] items-center gap-3 px-3 py-2 text-sm hover:bg-slate-50">
        <span className="tabular-nums text-slate-600">{formatUtc(log.at, true)}</span>
        <span className="truncate font-medium" title={log.chain}>
          {log.chain}
        </span>
        <span className="truncate font-mono text-xs" title={served}>
          {served}
        </span>
        <span>
          <OutcomeBadge outcome={log.outcome} />
        </span>
        <span className="tabular-nums">{log.httpStatus}</span>
        <span className="tabular-nums">{log.attempts.length} att.</span>
        <span className="tabular-nums">{formatMs(log.latencyMs)}</span>
        <span className="tabular-nums text-xs text-slate-600">
          {formatInt(log.promptTokens)} / {formatInt(log.completionTokens)}
          {log.tokensEstimated ? " est." : ""}
        </span>
        <span className="tabular-nums text-xs text-slate-600" data-testid="request-cost">
          {log.costMicros === null ? "—" : formatUsd(log.costMicros)}
        </span>
      </summary>
      <div className="space-y-2 bg-slate-50 px-6 py-3 text-xs">
        <p className="text-slate-600">
          Request <span className="font-mono">{log.requestId}</span>
          {log.clientRequestId ? (
            <>
              {" "}
              · client request id{" "}
              <span className="font-mono" data-testid="client-request-id">
                {log.clientRequestId}
              </span>
            </>
          ) : null}{" "}
          · {log.api} API · key {keyLabel} · {log.stream ? "streamed" : "not streamed"} · first byte{" "}
          {formatMs(log.ttfbMs)} · replica {log.replica}
          {log.errorCode ? ` · error ${log.errorCode}` : ""}
        </p>
        {log.attempts.length === 0 ? (
          <p className="text-slate-600">No entry was tried.</p>
        ) : (
          <table className="min-w-full text-left" data-testid="request-attempts">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1 pr-4 font-medium">#</th>
                <th className="py-1 pr-4 font-medium">Entry</th>
                <th className="py-1 pr-4 font-medium">Outcome</th>
                <th className="py-1 pr-4 font-medium">Status</th>
                <th className="py-1 pr-4 font-medium">Latency</th>
                <th className="py-1 pr-4 font-medium">Cooldown until</th>
              </tr>
            </thead>
            <tbody>
              {log.attempts.map((a) => (
                <tr key={a.position} data-testid="request-attempt">
                  <td className="py-1 pr-4 tabular-nums">{a.position + 1}</td>
                  <td className="py-1 pr-4 font-mono">
                    {a.provider}/{a.model}
                  </td>
                  <td className="py-1 pr-4">
                    <OutcomeBadge outcome={a.outcome} />
                  </td>
                  <td className="py-1 pr-4 tabular-nums">{a.status ?? "—"}</td>
                  <td className="py-1 pr-4 tabular-nums">{formatMs(a.latencyMs)}</td>
                  <td className="py-1 pr-4 tabular-nums">
                    {a.cooldownUntil ? `${formatUtc(new Date(a.cooldownUntil), true)} UTC` : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </details>
  );
}
