import type { QuotaWindowState } from "@429chain/contracts";
import { formatDuration } from "./format-duration";

/** Remaining per window: "header:requests 12/30 · resets in 41s". */
export function WindowsCell({ windows, now }: { windows: QuotaWindowState[]; now: number }) {
  if (windows.length === 0) return <span className="text-slate-400">no limits seen yet</span>;
  return (
    <ul className="space-y-0.5 text-xs">
      {windows.map((w) => (
        <li key={`${w.scope}:${w.name}`} data-testid="ratelimit-window">
          <span className="font-mono text-slate-600">{w.name}</span>{" "}
          <span className={w.remaining <= 0 ? "font-semibold text-red-700" : "text-slate-900"}>
            {w.remaining}
            {w.limit !== null ? `/${w.limit}` : ""} {w.unit}
          </span>
          {w.scope === "provider" ? <span className="text-slate-500"> (provider)</span> : null}
          {w.resetAt !== null ? (
            <span className="text-slate-500"> · resets in {formatDuration(w.resetAt - now)}</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
