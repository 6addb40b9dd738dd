import type { ChatCompletionRequest } from "@429chain/contracts";
import { isRecord } from "./blocks";
import { chatMessagesToAnthropic } from "./chat-messages-to-anthropic";
import { chatToolChoiceToAnthropic, chatToolsToAnthropic } from "./chat-tools-to-anthropic";
import { newIssues, type TranslationResult, toResult } from "./issues";
import type { AnthropicEffort, AnthropicMessagesRequest } from "./types";

export interface ChatToAnthropicOptions {
  /** The entry's model. */
  model: string;
  /** `max_tokens` when the client set none (Anthropic requires one). Default 4096. */
  defaultMaxTokens?: number;
  /**
   * Send `temperature` and `top_p`. Off by default: API version 2026-10-21 answers 400 to any
   * sampling parameter, and so do Claude 5 models under 2023-06-01; a 400 is a client error
   * that ends the waterfall. Turn on only for older models called with 2023-06-01.
   */
  keepSampling?: boolean;
  /**
   * Send `reasoning_effort` as `output_config.effort` (`minimal` → `low`). Off by default:
   * models without the effort parameter answer 400, which would end the waterfall.
   */
  forwardEffort?: boolean;
}

export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

const EFFORTS = new Set<string>(["low", "medium", "high", "xhigh", "max"]);
const DROPPED_WITH_NOTE = [
  "frequency_penalty",
  "presence_penalty",
  "seed",
  "logit_bias",
  "prediction",
];

/**
 * A chat request as an Anthropic Messages request for an `anthropic` entry, or the reason the
 * entry cannot serve it (several choices, logprobs, audio, custom tools, unsupported files…).
 */
export function chatToAnthropicRequest(
  request: ChatCompletionRequest,
  options: ChatToAnthropicOptions,
): TranslationResult<AnthropicMessagesRequest> {
  const issues = newIssues();
  const r = request as Record<string, unknown>;
  const { system, messages } = chatMessagesToAnthropic(request.messages ?? [], issues);
  const out: AnthropicMessagesRequest = {
    model: options.model,
    max_tokens:
      request.max_completion_tokens ??
      request.max_tokens ??
      options.defaultMaxTokens ??
      DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages,
  };
  if (system !== "") out.system = system;
  if (typeof request.stream === "boolean") out.stream = request.stream;

  const stops = (
    typeof r.stop === "string" ? [r.stop] : Array.isArray(r.stop) ? r.stop : []
  ).filter((stop): stop is string => typeof stop === "string");
  // Anthropic refuses stop sequences made only of whitespace.
  const usable = stops.filter((stop) => stop.trim() !== "");
  if (usable.length > 0) out.stop_sequences = usable;
  if (usable.length < stops.length) issues.notes.push("whitespace-only stop sequences dropped");

  for (const key of ["temperature", "top_p"] as const) {
    if (typeof r[key] !== "number") continue;
    // Anthropic's temperature range is 0–1, OpenAI's 0–2.
    if (options.keepSampling) out[key] = Math.min(1, r[key] as number);
    else issues.notes.push(`${key} dropped (Anthropic rejects sampling parameters)`);
  }
  const user = typeof r.user === "string" && r.user !== "" ? r.user : r.safety_identifier;
  if (typeof user === "string" && user !== "") out.metadata = { user_id: user };

  const tools = chatToolsToAnthropic(r.tools, issues);
  if (tools.length > 0) {
    out.tools = tools;
    const choice = chatToolChoiceToAnthropic(r.tool_choice, r.parallel_tool_calls, issues);
    if (choice) out.tool_choice = choice;
  }

  const effort = r.reasoning_effort === "minimal" ? "low" : r.reasoning_effort;
  if (typeof effort === "string" && EFFORTS.has(effort)) {
    if (options.forwardEffort) out.output_config = { effort: effort as AnthropicEffort };
    else issues.notes.push("reasoning_effort dropped (effort not forwarded)");
  }
  const format = isRecord(r.response_format) ? r.response_format : {};
  const schema = isRecord(format.json_schema) ? format.json_schema.schema : undefined;
  if (format.type === "json_schema" && isRecord(schema)) {
    out.output_config = { ...out.output_config, format: { type: "json_schema", schema } };
  } else if (format.type === "json_object") {
    issues.notes.push("response_format json_object dropped (no Anthropic equivalent)");
  }

  if (typeof request.n === "number" && request.n > 1)
    issues.unsupported.push(`n=${request.n} (several choices)`);
  if (r.logprobs === true || typeof r.top_logprobs === "number")
    issues.unsupported.push("logprobs");
  if (r.audio !== undefined || (Array.isArray(r.modalities) && r.modalities.includes("audio"))) {
    issues.unsupported.push("audio output");
  }
  if (r.web_search_options !== undefined) issues.unsupported.push("web_search_options");
  if (r.functions !== undefined) issues.unsupported.push("legacy functions");
  const dropped = DROPPED_WITH_NOTE.filter((key) => r[key] !== undefined && r[key] !== null);
  if (dropped.length > 0)
    issues.notes.push(`${dropped.join(", ")} dropped (no Anthropic equivalent)`);
  return toResult(out, issues);
}
