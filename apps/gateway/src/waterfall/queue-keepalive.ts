import type { ServerResponse } from "node:http";

/** A waiting stream hears this comment every so often; SSE parsers of every SDK skip it. */
export const QUEUED_COMMENT = ": queued\n\n";
const QUEUED_EVERY_MS = 10_000;

/**
 * A streaming client waiting in the queue: its SSE headers go out when it starts waiting,
 * then a comment every 10 s, so neither it nor a proxy between gives up on a silent socket.
 */
export class QueueKeepAlive {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly raw: ServerResponse) {}

  start(headers: Record<string, string>): void {
    if (this.raw.headersSent) return;
    this.raw.writeHead(200, {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    this.write();
    this.timer = setInterval(() => this.write(), QUEUED_EVERY_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private write(): void {
    if (!this.raw.destroyed && !this.raw.writableEnded) this.raw.write(QUEUED_COMMENT);
  }
}
