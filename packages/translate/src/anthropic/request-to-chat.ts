import type { ChatCompletionRequest } from "@429chain/contracts";
import { isRecord } from "./blocks";
import { newIssues, type TranslationIssues, type TranslationResult, toResult } from "./issues";
import { anthropicMessagesToChat } from "./messages-to-chat";
import { anthropicToolChoiceToChat, anthropicToolsToChat } from "./tools-to-chat";
import type { AnthropicMessagesRequest } from "./types";

// OpenAI accepts at most four stop sequences and rejects the request above that.
const MAX_STOP_SEQUENCES = 4;

export interface AnthropicToChatOptions {
  /**
   * Send `output_config.effort` as `reasoning_effort` (same words, low … max). Off by default:
   * non-reasoning models on OpenAI-compatible servers answer 400 to `reasoning_effort`, and a
   * 400 ends the waterfall; turn it on for entries known to reason.
   */
  forwardEffort?: boolean;
}

/**
 * The whole conversion, also when something is unsupported (the token estimate still needs a
 * chat request then). `model` stays the client's; the gateway sets each entry's model.
 */
export function convertAnthropicRequest(
  request: AnthropicMessagesRequest,
  options: AnthropicToChatOptions = {},
): {
  chat: ChatCompletionRequest;
  issues: TranslationIssues;
} {
  const issues = newIssues();
  const messages = anthropicMessagesToChat(
    request.system,
    Array.isArray(request.messages) ? request.messages : [],
    issues,
  );
  const chat: ChatCompletionRequest = { model: request.model, messages };

  // OpenAI-compatible servers take `max_tokens` far more widely than `max_completion_tokens`.
  if (request.max_tokens === 0) issues.unsupported.push("max_tokens 0 (cache pre-warming)");
  else if (typeof request.max_tokens === "number") chat.max_tokens = request.max_tokens;
  if (typeof request.stream === "boolean") chat.stream = request.stream;
  if (typeof request.temperature === "number") chat.temperature = request.temperature;
  if (typeof request.top_p === "number") chat.top_p = request.top_p;
  if (request.top_k !== undefined) issues.notes.push("top_k dropped (no OpenAI equivalent)");

  if (Array.isArray(request.stop_sequences) && request.stop_sequences.length > 0) {
    chat.stop = request.stop_sequences.slice(0, MAX_STOP_SEQUENCES);
    if (request.stop_sequences.length > MAX_STOP_SEQUENCES) {
      issues.notes.push(`stop_sequences beyond the first ${MAX_STOP_SEQUENCES} dropped`);
    }
  }
  const userId = request.metadata?.user_id;
  if (typeof userId === "string" && userId !== "") chat.user = userId;

  const tools = anthropicToolsToChat(request.tools, issues);
  if (tools.length > 0) {
    chat.tools = tools;
    Object.assign(chat, anthropicToolChoiceToChat(request.tool_choice));
  }

  // `thinking` itself is not mapped: a budget says nothing about effort, and whether to think
  // is the model's own on OpenAI-compatible servers.
  const output = isRecord(request.output_config) ? request.output_config : {};
  if (typeof output.effort === "string") {
    if (options.forwardEffort) chat.reasoning_effort = output.effort;
    else issues.notes.push("output_config.effort dropped (reasoning_effort not forwarded)");
  }
  const format = output.format;
  if (isRecord(format) && format.type === "json_schema" && isRecord(format.schema)) {
    chat.response_format = {
      type: "json_schema",
      json_schema: { name: "output", schema: format.schema, strict: true },
    };
  }

  if (Array.isArray(request.mcp_servers) && request.mcp_servers.length > 0) {
    issues.unsupported.push("MCP connector (mcp_servers)");
  }
  if (request.container !== undefined && request.container !== null) {
    issues.unsupported.push("code execution container (container)");
  }
  if (request.context_management !== undefined) {
    issues.notes.push("context_management dropped (Anthropic-only context editing)");
  }
  return { chat, issues };
}

/**
 * An Anthropic Messages request as a chat request for an OpenAI-compatible entry, or the reason
 * it needs something only Anthropic can do (server tools, documents, Files API images, MCP…):
 * the gateway then skips the entry with outcome `unsupported`.
 */
export function anthropicToChatRequest(
  request: AnthropicMessagesRequest,
  options: AnthropicToChatOptions = {},
): TranslationResult<ChatCompletionRequest> {
  const { chat, issues } = convertAnthropicRequest(request, options);
  return toResult(chat, issues);
}
