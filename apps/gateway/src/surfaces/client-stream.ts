import type { StreamDone, StreamEvent } from "../waterfall/upstream-stream";

/**
 * Turns one serving entry's stream into the frames of the client's API. Built per request
 * for the (client API, upstream wire) pair: a pass-through when both speak alike, otherwise a
 * decoder to chat chunks and an encoder from them.
 */
export interface ClientStreamEncoder {
  push(item: StreamEvent): string[];
  /** The upstream finished normally. */
  end(done: StreamDone): string[];
  /** The upstream failed after the first byte: the error frame the client's SDK raises. */
  fail(message: string): string[];
  /** Written when the upstream is silent for a while, so nothing between gives up on us. */
  keepAlive(): string;
}

export const SSE_COMMENT_KEEPALIVE = ": keep-alive\n\n";
