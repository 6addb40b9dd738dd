import type {
  AttemptOutcome,
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

/** The API an upstream speaks natively: OpenAI chat completions, or Anthropic Messages. */
export type UpstreamWire = "chat" | "anthropic";

/** An upstream operation: chat completions, Anthropic messages and token counting, embeddings. */
export type UpstreamOperation = "chat" | "messages" | "countTokens" | "embeddings";

/** Paths relative to the base URL; an operation that is absent is not offered upstream. */
export type UpstreamEndpoints = Partial<Record<UpstreamOperation, string>>;

/** What an adapter's quirk hook receives from `buildUpstreamRequest`. */
export interface PrepareInput {
  op: UpstreamOperation;
  /**
   * The body in the upstream's own format for `op` (a chat request for "chat", an Anthropic
   * Messages body for "messages"…), already carrying the entry's model and, where the
   * operation streams, `stream` (and `stream_options.include_usage` when `streamUsage`).
   */
  body: Record<string, unknown>;
  /** Upstream model name of the chain entry. */
  model: string;
  stream: boolean;
  provider: ProviderConfig;
}

/** An adapter's quirks for one request. */
export interface PreparedRequest {
  body: Record<string, unknown>;
  /**
   * Protocol and quirk headers (OpenRouter attribution, `anthropic-version`). Forwarded client
   * headers and then the provider config's `headers` override them; auth and content
   * negotiation are added by the builder and override everything.
   */
  headers: Record<string, string>;
}

/** What the gateway (or the admin's connection test) asks of one upstream. */
export interface UpstreamRequestInput {
  /** The body in the upstream's own format for the operation; `model` is replaced. */
  body: Record<string, unknown>;
  /** Upstream model name of the chain entry. */
  model: string;
  /** Ignored by operations that never stream (countTokens, embeddings). */
  stream: boolean;
  /** The client's request headers; only those the upstream understands are forwarded. */
  clientHeaders?: HeaderMap;
}

/** Everything needed to send one upstream request, auth included. */
export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** One parsed Server-Sent Event. */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

/**
 * Token counts reported by one stream event. Chat streams report all three at once; an
 * Anthropic stream reports the prompt in `message_start` and the completion (cumulative) in
 * `message_delta`, so a field may be missing: the relay merges every partial usage of a stream
 * (`mergeStreamUsage`), a later value of a field replacing an earlier one.
 */
export interface StreamUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
  /** Prompt tokens read from the provider's prompt cache (part of promptTokens). */
  cachedTokens?: number;
}

/** What one upstream stream event means to the relay. */
export type StreamSignal =
  /** A chunk to forward; `data` is the raw event data (forwarded as is unless rewritten). */
  | {
      kind: "chunk";
      data: string;
      json: Record<string, unknown>;
      /**
       * The SSE `event:` name when the upstream sends one (every Anthropic event does): a native
       * pass-through must write it back as an `event:` line before the data.
       */
      event?: string;
      /** True once the chunk carries content, tool calls or a finish reason. */
      hasContent: boolean;
      usage?: StreamUsage;
    }
  /**
   * The upstream finished. `event`/`data` are set when its final frame carries data a native
   * pass-through must write back (Anthropic `message_stop`); chat's `[DONE]` carries none.
   */
  | { kind: "done"; event?: string; data?: string }
  | { kind: "error"; outcome: AttemptOutcome }
  | { kind: "ignore" };

/** Everything that differs between upstream kinds. Same shape for every provider folder. */
export interface ProviderAdapter {
  readonly type: ProviderType;
  /** Used when the provider config has no `baseUrl`. */
  readonly defaultBaseUrl: string | undefined;
  /** Which quota the upstream's rate-limit headers describe. */
  readonly headerScope: LimitScope;
  /** Whether the upstream accepts `stream_options.include_usage` (chat wire only). */
  readonly streamUsage: boolean;
  /** The API the upstream speaks natively; a request in another API must be translated. */
  readonly wire: UpstreamWire;
  /** Where each offered operation lives, relative to the base URL. */
  readonly endpoints: UpstreamEndpoints;
  /**
   * Lower-case names of client request headers this upstream understands and may receive
   * (Anthropic's `anthropic-beta`); never a credential.
   */
  readonly forwardClientHeaders: readonly string[];
  /** The headers that authenticate with the provider's key; nothing may override them. */
  authHeaders(apiKey: string): Record<string, string>;
  /** Request quirks for one operation (fields the upstream rejects, attribution headers…). */
  prepareRequest(input: PrepareInput): PreparedRequest;
  /** Windows reported by the headers of any response (200s included); [] when none. */
  parseRateLimitHeaders(headers: HeaderMap, now: number): RateLimitWindow[];
  /** Classifies a complete response of any status (2xx → ok unless the body is an error). */
  classifyResponse(res: UpstreamResponse): AttemptOutcome;
  /** Classifies one stream event received after an HTTP 200. */
  classifyStreamEvent(event: SseEvent, now: number): StreamSignal;
}
