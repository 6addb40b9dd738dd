import type {
  AttemptOutcome,
  ChatCompletionRequest,
  LimitScope,
  ProviderConfig,
  ProviderType,
  RateLimitWindow,
} from "@429chain/contracts";

/** Response headers with lower-cased names (undici and Fastify both give this shape). */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** A finished (non-streamed, or failed-before-streaming) upstream response. */
export interface UpstreamResponse {
  status: number;
  headers: HeaderMap;
  /** Raw body text; may be empty, truncated, HTML or garbage. */
  body: string;
  /** Epoch ms when the response was received; every relative time is resolved against it. */
  now: number;
}

/** What the gateway sends upstream for one attempt. */
export interface PreparedRequest {
  body: Record<string, unknown>;
  /** Extra headers (Authorization and content-type are added by the caller). */
  headers: Record<string, string>;
}

export interface PrepareInput {
  request: ChatCompletionRequest;
  /** Upstream model name of the chain entry (replaces the client's `model`). */
  model: string;
  stream: boolean;
  provider: ProviderConfig;
}

/** One parsed Server-Sent Event. */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

/** What one upstream stream event means to the relay. */
export type StreamSignal =
  /** A chunk to forward; `data` is the raw event data (forwarded as is unless rewritten). */
  | {
      kind: "chunk";
      data: string;
      json: Record<string, unknown>;
      /** True once the chunk carries content, tool calls or a finish reason. */
      hasContent: boolean;
      usage?: { promptTokens: number; completionTokens: number; totalTokens: number };
    }
  | { kind: "done" }
  | { kind: "error"; outcome: AttemptOutcome }
  | { kind: "ignore" };

/** Everything that differs between upstream kinds. Same shape for every provider folder. */
export interface ProviderAdapter {
  readonly type: ProviderType;
  /** Used when the provider config has no `baseUrl`. */
  readonly defaultBaseUrl: string | undefined;
  /** Which quota the upstream's rate-limit headers describe. */
  readonly headerScope: LimitScope;
  /** Whether the upstream accepts `stream_options.include_usage`. */
  readonly streamUsage: boolean;
  prepareRequest(input: PrepareInput): PreparedRequest;
  /** Windows reported by the headers of any response (200s included); [] when none. */
  parseRateLimitHeaders(headers: HeaderMap, now: number): RateLimitWindow[];
  /** Classifies a complete response of any status (2xx → ok unless the body is an error). */
  classifyResponse(res: UpstreamResponse): AttemptOutcome;
  /** Classifies one stream event received after an HTTP 200. */
  classifyStreamEvent(event: SseEvent, now: number): StreamSignal;
}
