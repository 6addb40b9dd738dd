import type { EmbeddingSummary } from "../../server/playground/embedding-summary";
import { Badge } from "../ui/badge";

export interface AttemptInfo {
  provider: string;
  model: string;
  outcome: string;
  status: number | null;
  reason?: string;
  latencyMs: number;
}

export interface RunInfo {
  requestId: string | null;
  servedBy: string | null;
  attempts: string | null;
  status: number;
  /** Streamed modes: until the first text arrived. */
  firstTokenMs: number | null;
  totalMs: number | null;
  usage: { promptTokens: number; completionTokens: number } | null;
  /** Embeddings mode: what the answer held, never the whole vector. */
  embedding: EmbeddingSummary | null;
  failedAttempts: AttemptInfo[];
}

const fmt = (ms: number | null) => (ms === null ? "—" : `${Math.round(ms)} ms`);

/** Which entry served the run, how many upstream calls it took, its latency and tokens. */
export function RunDetails({ info, streamed }: { info: RunInfo; streamed: boolean }) {
  return (
    <div data-testid="playground-result" className="space-y-2 text-sm">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 sm:grid-cols-3">
        <dt className="text-slate-500">Served by</dt>
        <dd className="font-mono text-xs sm:col-span-2" data-testid="playground-served-by">
          {info.servedBy ?? "—"}
        </dd>
        <dt className="text-slate-500">Upstream calls</dt>
        <dd className="sm:col-span-2" data-testid="playground-attempts">
          {info.attempts ?? "—"}
        </dd>
        {streamed ? (
          <>
            <dt className="text-slate-500">First token / total</dt>
            <dd className="tabular-nums sm:col-span-2">
              {fmt(info.firstTokenMs)} / {fmt(info.totalMs)}
            </dd>
            <dt className="text-slate-500">Tokens in / out</dt>
            <dd className="tabular-nums sm:col-span-2" data-testid="playground-tokens">
              {info.usage ? `${info.usage.promptTokens} / ${info.usage.completionTokens}` : "—"}
            </dd>
          </>
        ) : (
          <>
            <dt className="text-slate-500">Latency</dt>
            <dd className="tabular-nums sm:col-span-2">{fmt(info.totalMs)}</dd>
            <dt className="text-slate-500">Tokens in</dt>
            <dd className="tabular-nums sm:col-span-2" data-testid="playground-tokens">
              {info.embedding?.usage?.promptTokens ?? "—"}
            </dd>
            <dt className="text-slate-500">Model</dt>
            <dd className="font-mono text-xs sm:col-span-2" data-testid="playground-model">
              {info.embedding?.model ?? "—"}
            </dd>
            <dt className="text-slate-500">Vector length</dt>
            <dd className="tabular-nums sm:col-span-2" data-testid="playground-vector-length">
              {info.embedding?.length ?? "—"}
            </dd>
          </>
        )}
        <dt className="text-slate-500">Request id</dt>
        <dd className="font-mono text-xs sm:col-span-2">{info.requestId ?? "—"}</dd>
      </dl>
      {info.failedAttempts.length > 0 ? (
        <ul className="space-y-1 text-xs" data-testid="playground-failed-attempts">
          {info.failedAttempts.map((a, i) => (
            <li key={`${a.provider}/${a.model}/${i}`}>
              <span className="font-mono">
                {a.provider}/{a.model}
              </span>{" "}
              <Badge tone="red">{a.outcome.replaceAll("_", " ")}</Badge> {a.status ?? ""}{" "}
              {a.reason ?? ""}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
