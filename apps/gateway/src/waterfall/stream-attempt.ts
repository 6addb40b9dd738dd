import type { CompiledEntry } from "../config/snapshot";
import { AttemptAbort, transportFailure } from "../upstream/http-client";
import type { AttemptContext, AttemptResult } from "./attempt-types";
import { readBodyText } from "./read-body";
import { sendToEntry, unservedResult } from "./send-to-entry";
import { attemptSignal, attemptTimeouts } from "./timeouts";
import { type StreamDone, type StreamEvent, UpstreamStream } from "./upstream-stream";

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
  // The first-byte timer is cleared once content arrives; the socket stays bound to the
  // request signal, so a client disconnect still aborts the stream.
  const firstByte = attemptSignal(ctx.signal, {
    ms: t.firstByteMs,
    reason: () => new AttemptAbort("first_byte"),
    deadlineAt: ctx.deadlineAt,
  });
  const sent = await sendToEntry(entry, ctx, true, firstByte.signal, t);
  if (sent.kind === "failure") {
    firstByte.release();
    return { kind: "failed", outcome: sent.outcome, status: null, windows: [] };
  }
  const now = Date.now();
  const windows = entry.adapter.parseRateLimitHeaders(sent.headers, now);
  const contentType = String(sent.headers["content-type"] ?? "");
  if (sent.status !== 200 || !contentType.includes("text/event-stream")) {
    try {
      const body = await readBodyText(sent.body, MAX_ERROR_BODY_BYTES);
      const res = { status: sent.status, headers: sent.headers, body, now };
      const outcome = entry.adapter.classifyResponse(res);
      return unservedResult(
        res,
        outcome,
        windows,
        `expected an event stream, got '${contentType}'`,
      );
    } catch (err) {
      return {
        kind: "failed",
        outcome: transportFailure(err, firstByte.signal, false),
        status: sent.status,
        windows,
      };
    } finally {
      firstByte.release();
    }
  }

  const stream = new UpstreamStream(sent.body, entry.adapter);
  const buffered: StreamEvent[] = [];
  const served = (done: StreamDone | undefined): AttemptResult => ({
    kind: "served",
    served: { kind: "stream", status: 200, stream, buffered, done },
    windows,
  });
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
        // The final frame without one event before it: the upstream answered nothing.
        if (buffered.length === 0) {
          stream.destroy();
          return failed("stream ended before any chunk", 200, windows);
        }
        return served(value);
      }
      buffered.push(value);
      if (value.hasContent) return served(undefined);
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
