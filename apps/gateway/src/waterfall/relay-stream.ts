import type { ServerResponse } from "node:http";
import type { AttemptOutcome, TokenUsage } from "@429chain/contracts";
import { transportFailure } from "../upstream/http-client";
import type { ServedStream } from "./attempt-types";

export interface RelayResult {
  /** `cancelled` when the client left or stopped reading (it was cut off). */
  outcome: AttemptOutcome;
  /** The client read nothing for the write timeout and was cut off. */
  cutOff: boolean;
  usage: TokenUsage | undefined;
  /** Characters of generated text relayed (for estimating usage when none was reported). */
  completionChars: number;
}

/**
 * Pass-through of an upstream stream that has already produced content. Writes wait for the
 * client to drain, so memory per stream stays flat. A failure after the first byte ends the
 * stream with an explicit SSE error event, never a silent truncated 200.
 */
export async function relayStream(
  raw: ServerResponse,
  served: ServedStream,
  headers: Record<string, string>,
  clientSignal: AbortSignal,
  writeTimeoutMs: number,
): Promise<RelayResult> {
  const { stream } = served;
  const out = new FrameWriter(raw, writeTimeoutMs);
  raw.writeHead(200, {
    ...headers,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    // nginx and similar proxies must not buffer SSE.
    "x-accel-buffering": "no",
  });
  const done = (outcome: AttemptOutcome): RelayResult => ({
    outcome: out.cutOff ? { kind: "cancelled" } : outcome,
    cutOff: out.cutOff,
    usage: stream.usage,
    completionChars: stream.completionChars,
  });
  for (const frame of served.buffered) await out.write(frame);
  if (served.finished) {
    raw.end();
    return done({ kind: "ok" });
  }
  try {
    for (;;) {
      if (raw.destroyed) {
        stream.destroy();
        return done({ kind: "cancelled" });
      }
      const { value, done: ended } = await stream.next();
      if (ended || value.kind === "truncated") {
        const reason = value?.kind === "truncated" ? value.reason : "stream ended without [DONE]";
        return done(fail(raw, { kind: "upstream_error", reason, midStream: true }));
      }
      if (value.kind === "error")
        return done(fail(raw, { ...value.outcome, midStream: true } as AttemptOutcome));
      if (value.kind === "done") {
        await out.write("data: [DONE]\n\n");
        raw.end();
        return done({ kind: "ok" });
      }
      await out.write(value.frame);
    }
  } catch (err) {
    stream.destroy();
    const outcome = transportFailure(err, clientSignal, true);
    if (outcome.kind === "cancelled" || raw.destroyed) return done({ kind: "cancelled" });
    return done(fail(raw, outcome));
  }
}

function fail(raw: ServerResponse, outcome: AttemptOutcome): AttemptOutcome {
  const reason = "reason" in outcome ? outcome.reason : outcome.kind;
  const error = {
    error: {
      message: `The upstream stream failed after it started: ${reason}`,
      type: "api_error",
      param: null,
      code: "upstream_stream_error",
    },
  };
  if (!raw.destroyed) raw.end(`event: error\ndata: ${JSON.stringify(error)}\n\n`);
  return outcome;
}

/**
 * Writes frames, waiting for 'drain' when the client is slower than the upstream. A client
 * that drains nothing for `timeoutMs` is cut off (its socket destroyed): a reader that stops
 * must not hold the upstream stream, its lease and memory forever.
 */
class FrameWriter {
  cutOff = false;

  constructor(
    private readonly raw: ServerResponse,
    private readonly timeoutMs: number,
  ) {}

  write(frame: string): Promise<void> {
    const { raw } = this;
    if (raw.destroyed) return Promise.resolve();
    if (raw.write(frame)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.cutOff = true;
        raw.destroy();
        finish();
      }, this.timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        raw.off("drain", finish);
        raw.off("close", finish);
        resolve();
      };
      raw.on("drain", finish);
      raw.on("close", finish);
    });
  }
}
