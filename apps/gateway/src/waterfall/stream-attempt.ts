import type { CompiledEntry } from "../config/snapshot";
import { AttemptAbort, transportFailure } from "../upstream/http-client";
import type { AttemptContext, AttemptResult } from "./attempt-types";
import { readBodyText } from "./read-body";
import { attemptSignal, attemptTimeouts } from "./timeouts";
import { UpstreamStream } from "./upstream-stream";

/** Error bodies are small; a huge one is not worth buffering. */
const MAX_ERROR_BODY_BYTES = 1024 * 1024;

/**
 * One streamed attempt, up to the first content chunk. Until then nothing has reached the
 * client, so any failure (error status, in-band error, early end, slow first token) lets the
 * waterfall move on.
 */
export async function streamAttempt(
  entry: CompiledEntry,
  ctx: AttemptContext,
): Promise<AttemptResult> {
  const t = attemptTimeouts(entry, ctx.settings);
  const prepared = entry.adapter.prepareRequest({
    request: ctx.request,
    model: entry.model,
    stream: true,
    provider: entry.provider,
  });
  const firstByte = attemptSignal(ctx.signal, t.firstByteMs, () => new AttemptAbort("first_byte"));
  // The stream must outlive the first-byte timer, so the socket is bound to the request signal
  // and the timer only cancels the wait below.
  const sent = await ctx.client.send({
    url: entry.url,
    apiKey: entry.provider.apiKey,
    headers: prepared.headers,
    body: JSON.stringify(prepared.body),
    signal: firstByte.signal,
    connectMs: t.connectMs,
    headersMs: t.firstByteMs,
    idleMs: t.idleMs,
  });
  if (sent.kind === "failure") {
    firstByte.clear();
    return { kind: "failed", outcome: sent.outcome, status: null, windows: [] };
  }
  const now = Date.now();
  const windows = entry.adapter.parseRateLimitHeaders(sent.headers, now);
  const contentType = String(sent.headers["content-type"] ?? "");
  if (sent.status !== 200 || !contentType.includes("text/event-stream")) {
    try {
      const body = await readBodyText(sent.body, MAX_ERROR_BODY_BYTES);
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
      const failure =
        outcome.kind === "ok"
          ? {
              kind: "upstream_error" as const,
              status: sent.status,
              reason: `expected an event stream, got '${contentType}'`,
            }
          : outcome;
      return { kind: "failed", outcome: failure, status: sent.status, windows };
    } catch (err) {
      return {
        kind: "failed",
        outcome: transportFailure(err, firstByte.signal, false),
        status: sent.status,
        windows,
      };
    } finally {
      firstByte.clear();
    }
  }

  const stream = new UpstreamStream(sent.body, entry.adapter, {
    normalize: ctx.settings.normalizeResponses,
    clientWantsUsage: ctx.request.stream_options?.include_usage === true,
  });
  const buffered: string[] = [];
  try {
    for (;;) {
      const { value, done } = await stream.next();
      if (done || value.kind === "truncated") {
        stream.destroy();
        const why = value?.kind === "truncated" ? value.reason : "stream ended";
        return failed(`${why} before any content`, sent.status, windows);
      }
      if (value.kind === "error") {
        stream.destroy();
        return { kind: "failed", outcome: value.outcome, status: 200, windows };
      }
      if (value.kind === "done") {
        buffered.push("data: [DONE]\n\n");
        return {
          kind: "served",
          served: { kind: "stream", stream, buffered, finished: true },
          windows,
        };
      }
      buffered.push(value.frame);
      if (value.hasContent) {
        return {
          kind: "served",
          served: { kind: "stream", stream, buffered, finished: false },
          windows,
        };
      }
    }
  } catch (err) {
    stream.destroy();
    return {
      kind: "failed",
      outcome: transportFailure(err, firstByte.signal, false),
      status: 200,
      windows,
    };
  } finally {
    firstByte.clear();
  }
}

function failed(reason: string, status: number, windows: AttemptResult["windows"]): AttemptResult {
  return { kind: "failed", outcome: { kind: "upstream_error", status, reason }, status, windows };
}
