"use client";

import { type FormEvent, useRef, useState } from "react";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { FormField } from "../ui/form-field";
import { FIELD_CLASS } from "../ui/input";
import { Select } from "../ui/select";
import { readChatStream } from "./read-chat-stream";

interface AttemptInfo {
  provider: string;
  model: string;
  outcome: string;
  status: number | null;
  reason?: string;
  latencyMs: number;
}

interface RunInfo {
  requestId: string | null;
  servedBy: string | null;
  attempts: string | null;
  status: number;
  firstTokenMs: number | null;
  totalMs: number | null;
  usage: { promptTokens: number; completionTokens: number } | null;
  failedAttempts: AttemptInfo[];
}

/** Error bodies: the admin's `{ error }` or the gateway's OpenAI envelope with attempts. */
async function errorOf(response: Response) {
  const body = (await response.json().catch(() => null)) as {
    error?: string | { message?: string; attempts?: AttemptInfo[] };
    fieldErrors?: Record<string, string[]>;
  } | null;
  const e = body?.error;
  return {
    message:
      typeof e === "string"
        ? e
        : (e?.message ?? `The request failed with HTTP ${response.status}.`),
    attempts: typeof e === "object" ? (e.attempts ?? []) : [],
    fieldErrors: body?.fieldErrors ?? {},
  };
}

export function Playground({
  chains,
  defaultChain,
}: {
  chains: string[];
  defaultChain: string | null;
}) {
  const [chain, setChain] = useState(defaultChain ?? chains[0] ?? "");
  const [prompt, setPrompt] = useState("");
  const [answer, setAnswer] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [info, setInfo] = useState<RunInfo | null>(null);
  const [running, setRunning] = useState(false);
  const abort = useRef<AbortController | null>(null);

  async function send(event: FormEvent) {
    event.preventDefault();
    const controller = new AbortController();
    abort.current = controller;
    setRunning(true);
    setAnswer("");
    setError(null);
    setFieldErrors({});
    setInfo(null);
    const started = performance.now();
    try {
      const response = await fetch("/api/playground", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ chain, prompt }),
        signal: controller.signal,
      });
      const run: RunInfo = {
        requestId: response.headers.get("x-request-id"),
        servedBy: response.headers.get("x-429chain-provider"),
        attempts: response.headers.get("x-429chain-attempts"),
        status: response.status,
        firstTokenMs: null,
        totalMs: null,
        usage: null,
        failedAttempts: [],
      };
      if (!response.ok || !response.body) {
        const failure = await errorOf(response);
        setError(failure.message);
        setFieldErrors(failure.fieldErrors);
        setInfo({ ...run, totalMs: performance.now() - started, failedAttempts: failure.attempts });
        return;
      }
      setInfo(run);
      await readChatStream(response.body, {
        onText(text) {
          run.firstTokenMs ??= performance.now() - started;
          setAnswer((a) => a + text);
        },
        onUsage(usage) {
          run.usage = usage;
        },
        onError(message) {
          setError(message);
        },
      });
      setInfo({ ...run, totalMs: performance.now() - started });
    } catch (err) {
      if (!controller.signal.aborted) setError(`The request failed: ${(err as Error).message}`);
    } finally {
      setRunning(false);
      abort.current = null;
    }
  }

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <form onSubmit={send} className="space-y-4" aria-label="Playground">
        <FormField label="Chain" htmlFor="pg-chain" errors={fieldErrors.chain}>
          <Select id="pg-chain" value={chain} onChange={(e) => setChain(e.target.value)} required>
            {chains.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </Select>
        </FormField>
        <FormField label="Prompt" htmlFor="pg-prompt" errors={fieldErrors.prompt}>
          <textarea
            id="pg-prompt"
            className={`${FIELD_CLASS} min-h-40`}
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            placeholder="Say hello in three languages."
            required
          />
        </FormField>
        <div className="flex gap-2">
          <Button type="submit" disabled={running || chain === ""}>
            {running ? "Streaming…" : "Send"}
          </Button>
          {running ? (
            <Button variant="secondary" onClick={() => abort.current?.abort()}>
              Stop
            </Button>
          ) : null}
        </div>
      </form>
      <div className="space-y-3">
        <ErrorBanner message={error} />
        {info ? <RunDetails info={info} /> : null}
        <pre
          data-testid="playground-answer"
          aria-live="polite"
          className="min-h-40 whitespace-pre-wrap rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-900"
        >
          {answer || (running ? "…" : "The answer streams here.")}
        </pre>
      </div>
    </div>
  );
}

function RunDetails({ info }: { info: RunInfo }) {
  const fmt = (ms: number | null) => (ms === null ? "—" : `${Math.round(ms)} ms`);
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
        <dt className="text-slate-500">First token / total</dt>
        <dd className="tabular-nums sm:col-span-2">
          {fmt(info.firstTokenMs)} / {fmt(info.totalMs)}
        </dd>
        <dt className="text-slate-500">Tokens in / out</dt>
        <dd className="tabular-nums sm:col-span-2" data-testid="playground-tokens">
          {info.usage ? `${info.usage.promptTokens} / ${info.usage.completionTokens}` : "—"}
        </dd>
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
