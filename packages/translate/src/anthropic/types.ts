/**
 * The Anthropic Messages API wire shapes the translations read and write, checked against
 * @anthropic-ai/sdk 1.17 (`resources/messages/messages.d.ts`, API version 2026-10-21) and
 * kept loose where the gateway only passes values through. Bodies come from clients as JSON,
 * so code reading them still checks what it relies on.
 */

interface AnthropicCacheControl {
  type: "ephemeral";
  ttl?: "5m" | "1h";
}

interface AnthropicTextBlock {
  type: "text";
  text: string;
  cache_control?: AnthropicCacheControl | null;
  citations?: unknown[] | null;
}

type AnthropicImageSource =
  | { type: "base64"; media_type: string; data: string }
  | { type: "url"; url: string }
  | { type: "file"; file_id: string };

interface AnthropicImageBlock {
  type: "image";
  source: AnthropicImageSource;
  cache_control?: AnthropicCacheControl | null;
}

/** PDF (base64 or URL), plain text, nested content or Files API document. */
interface AnthropicDocumentBlock {
  type: "document";
  source: { type: string; [key: string]: unknown };
  title?: string | null;
  context?: string | null;
  citations?: unknown;
  cache_control?: AnthropicCacheControl | null;
}

interface AnthropicToolUseBlock {
  type: "tool_use";
  id: string;
  name: string;
  input: unknown;
  cache_control?: AnthropicCacheControl | null;
}

interface AnthropicToolResultBlock {
  type: "tool_result";
  tool_use_id: string;
  content?: string | AnthropicContentBlock[];
  is_error?: boolean;
  cache_control?: AnthropicCacheControl | null;
}

/** Claude's reasoning; `signature` proves Anthropic produced it and must come back unchanged. */
interface AnthropicThinkingBlock {
  type: "thinking";
  thinking: string;
  signature: string;
}

interface AnthropicRedactedThinkingBlock {
  type: "redacted_thinking";
  data: string;
}

/** A call of a tool Anthropic runs itself (web search, web fetch, code execution, tool search). */
interface AnthropicServerToolUseBlock {
  type: "server_tool_use";
  id: string;
  name: string;
  input: unknown;
}

/** Results of server tools and other blocks only Anthropic produces or reads. */
interface AnthropicOnlyBlock {
  type:
    | "web_search_tool_result"
    | "web_fetch_tool_result"
    | "code_execution_tool_result"
    | "bash_code_execution_tool_result"
    | "text_editor_code_execution_tool_result"
    | "tool_search_tool_result"
    | "container_upload"
    | "search_result"
    | "tool_reference";
  [key: string]: unknown;
}

export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicDocumentBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock
  | AnthropicServerToolUseBlock
  | AnthropicOnlyBlock;

/** API 2026-10-21 also accepts `system` turns inside `messages`. */
export interface AnthropicMessageParam {
  role: "user" | "assistant" | "system";
  content: string | AnthropicContentBlock[];
}

/**
 * A custom tool has `input_schema` and no `type` (or `custom`); any other `type` is a tool
 * Anthropic defines: server tools it runs (`web_search_20250305`…) or client tools whose schema
 * only Claude knows (`bash_20250124`, `text_editor_20250728`, `computer_…`, `memory_…`).
 */
export interface AnthropicTool {
  name: string;
  type?: string | null;
  description?: string;
  input_schema?: Record<string, unknown>;
  cache_control?: AnthropicCacheControl | null;
  [key: string]: unknown;
}

export type AnthropicToolChoice =
  | { type: "auto"; disable_parallel_tool_use?: boolean }
  | { type: "any"; disable_parallel_tool_use?: boolean }
  | { type: "tool"; name: string; disable_parallel_tool_use?: boolean }
  | { type: "none" };

type AnthropicThinkingConfig =
  | { type: "enabled"; budget_tokens: number; display?: "summarized" | "omitted" | null }
  | { type: "adaptive"; display?: "summarized" | "omitted" | null }
  | { type: "disabled" }
  | { type: "between_tools" };

export type AnthropicEffort = "low" | "medium" | "high" | "xhigh" | "max";

interface AnthropicOutputConfig {
  effort?: AnthropicEffort | null;
  format?: { type: "json_schema"; schema: Record<string, unknown> } | null;
}

export interface AnthropicMessagesRequest {
  model: string;
  max_tokens: number;
  messages: AnthropicMessageParam[];
  system?: string | AnthropicTextBlock[];
  metadata?: { user_id?: string | null };
  stop_sequences?: string[];
  stream?: boolean;
  /** Accepted by API version 2023-06-01 only (2026-10-21 rejects sampling parameters). */
  temperature?: number;
  top_p?: number;
  top_k?: number;
  thinking?: AnthropicThinkingConfig;
  tool_choice?: AnthropicToolChoice;
  tools?: AnthropicTool[];
  output_config?: AnthropicOutputConfig;
  [key: string]: unknown;
}

export type AnthropicStopReason =
  | "end_turn"
  | "max_tokens"
  | "stop_sequence"
  | "tool_use"
  | "pause_turn"
  | "refusal"
  | "model_context_window_exceeded";

/** Anthropic's `input_tokens` excludes cache reads and writes; the three add up to the prompt. */
export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
}

export type AnthropicResponseBlock =
  | AnthropicTextBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock
  | AnthropicToolUseBlock
  | AnthropicServerToolUseBlock
  | AnthropicOnlyBlock;

export interface AnthropicMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
  [key: string]: unknown;
}

type AnthropicContentDelta =
  | { type: "text_delta"; text: string }
  | { type: "input_json_delta"; partial_json: string }
  | { type: "thinking_delta"; thinking: string }
  | { type: "signature_delta"; signature: string }
  | { type: "citations_delta"; citation: unknown };

/** Usage in `message_delta`: cumulative totals; the input counters only when they apply. */
export interface AnthropicDeltaUsage {
  output_tokens: number;
  input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
}

export type AnthropicStreamEvent =
  | { type: "message_start"; message: AnthropicMessage }
  | { type: "content_block_start"; index: number; content_block: AnthropicResponseBlock }
  | { type: "content_block_delta"; index: number; delta: AnthropicContentDelta }
  | { type: "content_block_stop"; index: number }
  | {
      type: "message_delta";
      delta: { stop_reason: AnthropicStopReason | null; stop_sequence: string | null };
      usage: AnthropicDeltaUsage;
    }
  | { type: "message_stop" }
  | { type: "ping" }
  | { type: "error"; error: { type: string; message: string } };

export type AnthropicErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "billing_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "timeout_error"
  | "api_error"
  | "overloaded_error";

export interface AnthropicErrorBody {
  type: "error";
  error: { type: AnthropicErrorType; message: string };
  request_id?: string | null;
}
