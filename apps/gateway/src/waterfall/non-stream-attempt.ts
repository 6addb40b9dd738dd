import type { CompiledEntry } from "../config/snapshot";
import { AttemptAbort, transportFailure } from "../upstream/http-client";
import type { AttemptContext, AttemptResult } from "./attempt-types";
import { normalizeChoices } from "./normalize";
import { readBodyText } from "./read-body";
import { attemptSignal, attemptTimeouts } from "./timeouts";
import { readUsage } from "./usage";

/** One non-streamed attempt: send, read the whole answer, classify it. */
export async function nonStreamAttempt(
  entry: CompiledEntry,
  ctx: AttemptContext,
): Promise<AttemptResult> {
  const t = attemptTimeouts(entry, ctx.settings);
  const prepared = entry.adapter.prepareRequest({
    request: ctx.request,
    model: entry.model,
    stream: false,
    provider: entry.provider,
  });
  const { signal, clear } = attemptSignal(
    ctx.signal,
    t.firstByteMs,
    () => new AttemptAbort("attempt_timeout"),
  );
  try {
    const sent = await ctx.client.send({
      url: entry.url,
      apiKey: entry.provider.apiKey,
      headers: prepared.headers,
      body: JSON.stringify(prepared.body),
      signal,
      connectMs: t.connectMs,
      headersMs: t.firstByteMs,
      idleMs: t.idleMs,
    });
    if (sent.kind === "failure")
      return { kind: "failed", outcome: sent.outcome, status: null, windows: [] };
    let body: string;
    try {
      body = await readBodyText(sent.body);
    } catch (err) {
      return {
        kind: "failed",
        outcome: transportFailure(err, signal, false),
        status: sent.status,
        windows: [],
      };
    }
    const now = Date.now();
    const windows = entry.adapter.parseRateLimitHeaders(sent.headers, now);
    const outcome = entry.adapter.classifyResponse({
      status: sent.status,
      headers: sent.headers,
      body,
      now,
    });
    if (outcome.kind === "client_error") {
      return {
        kind: "client_error",
        outcome,
        status: sent.status,
        headers: sent.headers,
        body,
        windows,
      };
    }
    if (outcome.kind !== "ok") return { kind: "failed", outcome, status: sent.status, windows };
    return { kind: "served", served: servedJson(sent.status, body, ctx), windows };
  } finally {
    clear();
  }
}

function servedJson(status: number, body: string, ctx: AttemptContext) {
  // The classifier has accepted the body as a JSON completion; parse once more for usage.
  const json = JSON.parse(body) as Record<string, unknown>;
  const usage = readUsage(json);
  if (ctx.settings.normalizeResponses && normalizeChoices(json)) {
    return { kind: "json" as const, status, body: JSON.stringify(json), usage };
  }
  return { kind: "json" as const, status, body, usage };
}
