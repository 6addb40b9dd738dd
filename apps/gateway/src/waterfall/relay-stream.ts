import type { ServerResponse } from "node:http";
import type { AttemptOutcome, TokenUsage } from "@429chain/contracts";
import type { ClientStreamEncoder } from "../surfaces/client-stream";
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

export interface RelayOptions {
  headers: Record<string, string>;
  encoder: ClientStreamEncoder;
  clientSignal: AbortSignal;
  /** A client that drains nothing for this long is cut off. */
  writeTimeoutMs: number;
  /** A keep-alive frame is written after this long without a frame. */
  keepAliveMs: number;
}

/**
 * Relays an upstream stream that has already produced content, in the client's API. Writes
 * wait for the client to drain, so memory per stream stays flat. A failure after the first
 * byte ends the stream with the client API's error event, never a silent truncated 200.
 */
export async function relayStream(
  raw: ServerResponse,
  served: ServedStream,
  opts: RelayOptions,
): Promise<RelayResult> {
  const { stream } = served;
  const { encoder } = opts;
  const out = new FrameWriter(raw, opts.writeTimeoutMs);
  // A stream that waited in the queue has its headers out already.
  if (!raw.headersSent)
    raw.writeHead(200, {
      ...opts.headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      // nginx and similar proxies must not buffer SSE.
      "x-accel-buffering": "no",
    });
  const keepAlive = setInterval(
    () => {
      if (Date.now() - out.lastWriteAt >= opts.keepAliveMs) void out.write(encoder.keepAlive());
    },
    Math.max(250, Math.floor(opts.keepAliveMs / 2)),
  );
  const done = (outcome: AttemptOutcome): RelayResult => ({
    outcome: out.cutOff ? { kind: "cancelled" } : outcome,
    cutOff: out.cutOff,
    usage: stream.usage,
    completionChars: stream.completionChars,
  });
  const fail = async (outcome: AttemptOutcome) => {
    const reason = "reason" in outcome ? outcome.reason : outcome.kind;
    await out.writeAll(encoder.fail(reason));
    raw.end();
    return done(outcome);
  };
  try {
    for (const item of served.buffered) await out.writeAll(encoder.push(item));
    if (served.done) {
      await out.writeAll(encoder.end(served.done));
      raw.end();
      return done({ kind: "ok" });
    }
    for (;;) {
      if (raw.destroyed) {
        stream.destroy();
        return done({ kind: "cancelled" });
      }
      const { value, done: ended } = await stream.next();
      if (ended || value.kind === "truncated") {
        const reason = value?.kind === "truncated" ? value.reason : "stream ended early";
        return await fail({ kind: "upstream_error", reason, midStream: true });
      }
      if (value.kind === "error") {
        return await fail({ ...value.outcome, midStream: true } as AttemptOutcome);
      }
      if (value.kind === "done") {
        await out.writeAll(encoder.end(value));
        raw.end();
        return done({ kind: "ok" });
      }
      await out.writeAll(encoder.push(value));
    }
  } catch (err) {
    stream.destroy();
    const outcome = transportFailure(err, opts.clientSignal, true);
    if (outcome.kind === "cancelled" || raw.destroyed) return done({ kind: "cancelled" });
    return fail(outcome);
  } finally {
    clearInterval(keepAlive);
  }
}

/**
 * Writes frames, waiting for 'drain' when the client is slower than the upstream. A client
 * that drains nothing for `timeoutMs` is cut off (its socket destroyed): a reader that stops
 * must not hold the upstream stream, its lease and memory forever.
 */
class FrameWriter {
  cutOff = false;
  lastWriteAt = Date.now();
  private corked = false;

  constructor(
    private readonly raw: ServerResponse,
    private readonly timeoutMs: number,
  ) {}

  async writeAll(frames: string[]): Promise<void> {
    for (const frame of frames) await this.write(frame);
  }

  write(frame: string): Promise<void> {
    const { raw } = this;
    if (raw.destroyed || raw.writableEnded) return Promise.resolve();
    this.lastWriteAt = Date.now();
    // The frames of one upstream chunk (often several events) leave in one write: the socket
    // is corked at the turn's first frame and uncorked when the turn ends (end() uncorks too).
    if (!this.corked) {
      this.corked = true;
      raw.cork();
      setImmediate(() => {
        this.corked = false;
        raw.uncork();
      });
    }
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
