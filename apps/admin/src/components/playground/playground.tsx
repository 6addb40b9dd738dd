"use client";

import { type FormEvent, useRef, useState } from "react";
import type { EmbeddingSummary } from "../../server/playground/embedding-summary";
import type { PlaygroundMode } from "../../server/playground/playground-input";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { FormField } from "../ui/form-field";
import { FIELD_CLASS } from "../ui/input";
import { Select } from "../ui/select";
import { chainsForMode, MODE_OPTIONS, type PlaygroundChain } from "./playground-modes";
import { readChatStream } from "./read-chat-stream";
import { readResponsesStream } from "./read-responses-stream";
import { type AttemptInfo, RunDetails, type RunInfo } from "./run-details";

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

function vectorPreview(e: EmbeddingSummary): string {
  const numbers = e.preview.map((n) => n.toFixed(4)).join(", ");
  return `A vector of ${e.length} numbers: [${numbers}${e.length > e.preview.length ? ", …" : ""}]`;
}

export function Playground({
  chains,
  defaultChain,
}: {
  chains: PlaygroundChain[];
  defaultChain: string | null;
}) {
  const [mode, setMode] = useState<PlaygroundMode>("chat");
  const [chain, setChain] = useState(() => chainsForMode(chains, "chat", defaultChain).selected);
  const [prompt, setPrompt] = useState("");
  const [answer, setAnswer] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [info, setInfo] = useState<RunInfo | null>(null);
  const [running, setRunning] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const embeddings = mode === "embeddings";
  const usable = chainsForMode(chains, mode, defaultChain).names;

  function changeMode(next: PlaygroundMode) {
    setMode(next);
    setChain(chainsForMode(chains, next, defaultChain).selected);
    setAnswer("");
    setError(null);
    setFieldErrors({});
    setInfo(null);
  }

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
        body: JSON.stringify({ mode, chain, prompt }),
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
        embedding: null,
        failedAttempts: [],
      };
      if (!response.ok || !response.body) {
        const failure = await errorOf(response);
        setError(failure.message);
        setFieldErrors(failure.fieldErrors);
        setInfo({ ...run, totalMs: performance.now() - started, failedAttempts: failure.attempts });
        return;
      }
      if (embeddings) {
        const summary = (await response.json()) as EmbeddingSummary;
        setAnswer(vectorPreview(summary));
        setInfo({ ...run, embedding: summary, totalMs: performance.now() - started });
        return;
      }
      setInfo(run);
      const read = mode === "responses" ? readResponsesStream : readChatStream;
      await read(response.body, {
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
        <FormField label="API" htmlFor="pg-mode" errors={fieldErrors.mode}>
          <Select
            id="pg-mode"
            data-testid="playground-mode"
            value={mode}
            disabled={running}
            onChange={(e) => changeMode(e.target.value as PlaygroundMode)}
          >
            {MODE_OPTIONS.map((m) => (
              <option key={m.mode} value={m.mode}>
                {m.label}
              </option>
            ))}
          </Select>
        </FormField>
        <FormField
          label="Chain"
          htmlFor="pg-chain"
          hint={
            usable.length === 0
              ? `No ${embeddings ? "embeddings" : "chat"} chain yet: create one under Chains.`
              : undefined
          }
          errors={fieldErrors.chain}
        >
          <Select id="pg-chain" value={chain} onChange={(e) => setChain(e.target.value)} required>
            {usable.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </Select>
        </FormField>
        <FormField
          label={embeddings ? "Text to embed" : "Prompt"}
          htmlFor="pg-prompt"
          errors={fieldErrors.prompt}
        >
          <textarea
            id="pg-prompt"
            className={`${FIELD_CLASS} min-h-40`}
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            placeholder={
              embeddings
                ? "The quick brown fox jumps over the lazy dog."
                : "Say hello in three languages."
            }
            required
          />
        </FormField>
        <div className="flex gap-2">
          <Button type="submit" disabled={running || chain === ""}>
            {running ? (embeddings ? "Embedding…" : "Streaming…") : embeddings ? "Embed" : "Send"}
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
        {info ? <RunDetails info={info} streamed={!embeddings} /> : null}
        <pre
          data-testid="playground-answer"
          aria-live="polite"
          className="min-h-40 whitespace-pre-wrap rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-900"
        >
          {answer ||
            (running
              ? "…"
              : embeddings
                ? "The vector's length and first numbers show here."
                : "The answer streams here.")}
        </pre>
      </div>
    </div>
  );
}
