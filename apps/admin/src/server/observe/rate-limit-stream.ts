import type { LiveEntry, LiveState } from "./live-state";
import type { LiveHub } from "./live-state-hub";

/**
 * Server-sent events of the live view:
 * - `snapshot`: the whole LiveState; first on connect, again when the entry list or the
 *   kind of state changes (config edited, Redis lost or back).
 * - `update`: `{ at, entries }` with only the entries whose state changed.
 * - `ended`: `{ error }` just before the server closes the stream because the viewer's session
 *   is over (re-checked on each heartbeat: expired, logged out, user disabled).
 * Plus a comment line as heartbeat, so proxies keep an idle connection open.
 */
export interface LiveStreamOptions<T> {
  hub: LiveHub<T>;
  /** What to send after `previous` was sent, or null when nothing changed. */
  next: (previous: T | null, current: T) => { event: string; data: unknown } | null;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  heartbeatMs: number;
  /**
   * Asked on each heartbeat whether the session that opened the stream is still live; false
   * or a failure (the check cannot vouch for it) ends the stream.
   */
  stillAllowed: () => Promise<boolean>;
}

export const SESSION_ENDED = "Your session has ended: log in again.";

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  // nginx and similar proxies buffer responses unless told not to.
  "x-accel-buffering": "no",
};

const labelsOf = (s: LiveState) =>
  s.kind === "ok" ? s.entries.map((e) => e.label).join("\n") : "";

/** What to send after `previous` was sent, or null when nothing changed. */
export function nextEvent(
  previous: LiveState | null,
  current: LiveState,
): { event: "snapshot" | "update"; data: unknown } | null {
  if (
    previous === null ||
    previous.kind !== current.kind ||
    labelsOf(previous) !== labelsOf(current) ||
    (previous.kind === "error" && current.kind === "error" && previous.message !== current.message)
  ) {
    return { event: "snapshot", data: current };
  }
  if (previous.kind !== "ok" || current.kind !== "ok") return null;
  const changed: LiveEntry[] = current.entries.filter(
    (e, i) => JSON.stringify(e) !== JSON.stringify(previous.entries[i]),
  );
  if (changed.length === 0) return null;
  return { event: "update", data: { at: current.at, entries: changed } };
}

/** The Rate limits page's stream: LiveState snapshots, then changed entries. */
export function createRateLimitStream(
  options: Omit<LiveStreamOptions<LiveState>, "next">,
): ReadableStream<Uint8Array> {
  return createLiveStream({ ...options, next: nextEvent });
}

/** A live view's event stream over its hub (the Rate limits and Quota pages). */
export function createLiveStream<T>(options: LiveStreamOptions<T>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let sent: T | null = null;
      let closed = false;
      const write = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const unsubscribe = options.hub.subscribe((state) => {
        const next = options.next(sent, state);
        if (!next) return;
        sent = state;
        write(`event: ${next.event}\ndata: ${JSON.stringify(next.data)}\n\n`);
      });
      let checking = false;
      const heartbeat = setInterval(() => {
        // A slow check is not stacked under the next one.
        if (checking) return;
        checking = true;
        Promise.resolve()
          .then(options.stillAllowed)
          .catch(() => false)
          .then((allowed) => {
            checking = false;
            if (allowed) {
              write(": ping\n\n");
              return;
            }
            write(`event: ended\ndata: ${JSON.stringify({ error: SESSION_ENDED })}\n\n`);
            end();
          });
      }, options.heartbeatMs);
      stop = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        options.signal.removeEventListener("abort", end);
      };
      const end = () => {
        stop();
        try {
          controller.close();
        } catch {
          // Already closed by a cancel from the consumer.
        }
      };
      if (options.signal.aborted) end();
      else options.signal.addEventListener("abort", end);
      // Tell EventSource how long to wait before reconnecting after a dropped connection.
      write("retry: 2000\n\n");
    },
    cancel() {
      stop();
    },
  });
}
