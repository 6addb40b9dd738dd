import type { AttemptOutcome, RateLimitWindow, Settings, TokenUsage } from "@429chain/contracts";
import type { HeaderMap, UpstreamOperation } from "@429chain/providers";
import type { CompiledEntry } from "../config/snapshot";
import type { UpstreamClient } from "../upstream/http-client";
import type { StreamDone, StreamEvent, UpstreamStream } from "./upstream-stream";

/** What one entry is sent: the operation and the body in that entry's own API. */
export interface UpstreamCall {
  op: Extract<UpstreamOperation, "chat" | "messages" | "embeddings">;
  body: Record<string, unknown>;
  /** The client's headers; only those the upstream understands are forwarded. */
  clientHeaders?: HeaderMap;
}

/** The call for an entry, or why that entry cannot serve this request (skipped, not tried). */
export type CallFor = (entry: CompiledEntry) => UpstreamCall | { unsupported: string };

export interface AttemptContext {
  readonly call: UpstreamCall;
  /** A 2xx answer is served only if this finds nothing wrong with it. */
  readonly accept?: (answer: Record<string, unknown>) => string | undefined;
  readonly settings: Settings;
  readonly client: UpstreamClient;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  /** Epoch ms: the attempt is cut (reason "deadline") when the request's deadline passes. */
  readonly deadlineAt: number;
}

/** A non-streamed upstream answer that is served to the client (in the upstream's API). */
export interface ServedJson {
  readonly kind: "json";
  readonly status: number;
  readonly json: Record<string, unknown>;
  /** The body as received, relayed as is when the client speaks the upstream's API. */
  readonly text: string;
  readonly usage: TokenUsage | undefined;
}

/** A stream that has produced its first content and is ready to be relayed. */
export interface ServedStream {
  readonly kind: "stream";
  readonly status: 200;
  readonly stream: UpstreamStream;
  /** Events read while waiting for the first content, to be written first. */
  readonly buffered: StreamEvent[];
  /** Set when the upstream already finished (an answer with no more to come). */
  readonly done: StreamDone | undefined;
}

export type AttemptResult =
  | { kind: "served"; served: ServedJson | ServedStream; windows: RateLimitWindow[] }
  /** Caused by the request: returned to the client, never waterfalled. */
  | {
      kind: "client_error";
      outcome: AttemptOutcome;
      status: number;
      headers: HeaderMap;
      body: string;
      windows: RateLimitWindow[];
    }
  | { kind: "failed"; outcome: AttemptOutcome; status: number | null; windows: RateLimitWindow[] };

export type AttemptFn = (entry: CompiledEntry, ctx: AttemptContext) => Promise<AttemptResult>;
