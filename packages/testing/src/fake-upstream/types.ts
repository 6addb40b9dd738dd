import type { IncomingHttpHeaders } from "node:http";

type HeaderValue = string | number | string[];
export type FakeHeaders = Record<string, HeaderValue>;

/** A streamed (SSE) answer. Frames are raw text written exactly as given. */
export interface FakeStream {
  frames: string[];
  /** Pause before each frame after the first. */
  frameDelayMs?: number;
  /** Destroy the socket after this many frames: a mid-stream cut. */
  cutAfter?: number;
  /**
   * Drop any `data: [DONE]` (or Anthropic `message_stop`) frame: a stream that ends unfinished.
   */
  noDone?: boolean;
  /** Stop writing after this many frames but keep the socket open (idle-timeout case). */
  hangAfter?: number;
}

/**
 * A large body produced while it is written, never held whole in memory: `head`, then `chunk`
 * `times` times, then `tail`. Written with back-pressure, so only what the client reads is sent.
 */
export interface FakeRepeat {
  head?: string;
  chunk: string;
  /** Infinity: an endless body, written until the client goes away or close(). */
  times: number;
  tail?: string;
}

export interface FakeResponse {
  /** Defaults to 200. */
  status?: number;
  headers?: FakeHeaders;
  /** An object is sent as JSON; a string is sent raw (HTML, garbage, a bare JSON string). */
  body?: unknown;
  /** Wait before sending the status line: a slow first byte. */
  delayMs?: number;
  stream?: FakeStream;
  /** A huge or endless body (50 MB, an SSE event without a newline); overrides `body`. */
  repeat?: FakeRepeat;
  /** Accept the request, then drop the connection without answering. */
  destroy?: boolean;
  /** Never answer; the socket stays open until the client or close() ends it. */
  hang?: boolean;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  /** Node lower-cases header names. */
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the raw text when the body is not JSON (undefined when empty). */
  body: unknown;
  rawBody: string;
}

/** Computes the answer from the request; for echoing or asserting on what was sent. */
export type FakeResponder = (req: ReceivedRequest) => FakeResponse;
export type FakeRoute = FakeResponse | FakeResponder;

export type RequestHook = (req: ReceivedRequest) => void;

export interface FakeUpstream {
  /** e.g. http://127.0.0.1:PORT — providers use `${url}/<name>` as their baseUrl. */
  readonly url: string;
  readonly port: number;
  /** Queues responses for a path; consumed in order, the last repeats unless a default is set. */
  route(path: string, ...responses: FakeRoute[]): void;
  /** Answer used once the queue for the path is empty. */
  setDefault(path: string, response: FakeRoute): void;
  hits(path: string): number;
  requests(path: string): ReceivedRequest[];
  /** Called for every request before it is answered. Returns an unsubscribe function. */
  onRequest(hook: RequestHook): () => void;
  /** Resolves once `count` requests have arrived on the path (event-driven, no polling). */
  waitForHits(path: string, count: number, timeoutMs?: number): Promise<void>;
  /** Forgets routes, defaults, recorded requests and hooks. */
  reset(): void;
  /** Stops the server and destroys every open socket. */
  close(): Promise<void>;
}
