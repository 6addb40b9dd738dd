import type {
  AttemptOutcome,
  ChatCompletionRequest,
  RateLimitWindow,
  Settings,
  TokenUsage,
} from "@429chain/contracts";
import type { HeaderMap } from "@429chain/providers";
import type { CompiledEntry } from "../config/snapshot";
import type { UpstreamClient } from "../upstream/http-client";
import type { UpstreamStream } from "./upstream-stream";

export interface AttemptContext {
  readonly request: ChatCompletionRequest;
  readonly settings: Settings;
  readonly client: UpstreamClient;
  /** Aborted when the client goes away or the request deadline passes. */
  readonly signal: AbortSignal;
}

/** A non-streamed upstream answer that is served to the client. */
export interface ServedJson {
  readonly kind: "json";
  readonly status: number;
  readonly body: string;
  readonly usage: TokenUsage | undefined;
}

/** A stream that has produced its first content and is ready to be relayed. */
export interface ServedStream {
  readonly kind: "stream";
  readonly status: 200;
  readonly stream: UpstreamStream;
  /** Frames read while waiting for the first content, to be written first. */
  readonly buffered: string[];
  /** The upstream already sent `[DONE]` (an answer with no content at all). */
  readonly finished: boolean;
}

export type AttemptResult =
  | { kind: "served"; served: ServedJson | ServedStream; windows: RateLimitWindow[] }
  /** Caused by the request: returned to the client unchanged, never waterfalled. */
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
