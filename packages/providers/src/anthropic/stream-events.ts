import { streamErrorOutcome } from "../common/stream-events";
import type { SseEvent, StreamSignal, StreamUsage } from "../types";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const nonEmpty = (v: unknown) => typeof v === "string" && v !== "";

function failure(reason: string): StreamSignal {
  return { kind: "error", outcome: { kind: "upstream_error", reason, midStream: true } };
}

/** Prompt tokens are the uncached input plus what was written to and read from the cache. */
function promptTokens(usage: Obj): number {
  return (
    num(usage.input_tokens) +
    num(usage.cache_creation_input_tokens) +
    num(usage.cache_read_input_tokens)
  );
}

/**
 * `message_start` reports the prompt (its `output_tokens` is a placeholder); `message_delta`
 * reports the cumulative completion, and the prompt again when it carries `input_tokens`.
 */
function readUsage(type: string, json: Obj): StreamUsage | undefined {
  if (type === "message_start") {
    const message = isObj(json.message) ? json.message : {};
    if (!isObj(message.usage)) return undefined;
    const cached = message.usage.cache_read_input_tokens;
    return {
      promptTokens: promptTokens(message.usage),
      ...(typeof cached === "number" && cached > 0 ? { cachedTokens: cached } : {}),
    };
  }
  if (type !== "message_delta" || !isObj(json.usage)) return undefined;
  const usage: StreamUsage = {};
  if (typeof json.usage.output_tokens === "number")
    usage.completionTokens = json.usage.output_tokens;
  if (typeof json.usage.input_tokens === "number") usage.promptTokens = promptTokens(json.usage);
  return Object.keys(usage).length > 0 ? usage : undefined;
}

/**
 * Text and thinking blocks start empty and fill through deltas; any other block (tool_use,
 * server_tool_use, redacted_thinking…) is content from its start. A stop reason is content
 * too, like a chat `finish_reason`: an empty answer that ended on purpose is still an answer.
 */
function hasContent(type: string, json: Obj): boolean {
  if (type === "content_block_delta") return true;
  if (type === "content_block_start") {
    const block = isObj(json.content_block) ? json.content_block : {};
    if (block.type === "text") return nonEmpty(block.text);
    if (block.type === "thinking") return nonEmpty(block.thinking);
    return true;
  }
  if (type === "message_delta") {
    const delta = isObj(json.delta) ? json.delta : {};
    return delta.stop_reason !== null && delta.stop_reason !== undefined;
  }
  return false;
}

/**
 * One event of an Anthropic Messages stream (message_start, content_block_start/delta/stop,
 * message_delta, message_stop, ping, error). Every event is forwarded as a chunk carrying its
 * event name, so a native pass-through can write it back; `message_stop` ends the stream.
 */
export function classifyAnthropicStreamEvent(event: SseEvent, now: number): StreamSignal {
  const data = event.data.trim();
  if (event.event === "error") return { kind: "error", outcome: streamErrorOutcome(data, now) };
  if (data === "") return { kind: "ignore" };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return failure("stream event is not JSON (unframed or garbage stream)");
  }
  if (!isObj(json)) return failure("stream event is not a JSON object");
  // Every Anthropic event names itself twice (`event:` and `type`); either is enough.
  const type = event.event ?? (typeof json.type === "string" ? json.type : "");
  if (type === "error") return { kind: "error", outcome: streamErrorOutcome(data, now) };
  if (type === "ping") return { kind: "ignore" };
  if (type === "message_stop") return { kind: "done", event: type, data: event.data };
  const usage = readUsage(type, json);
  return {
    kind: "chunk",
    data: event.data,
    json,
    ...(type ? { event: type } : {}),
    hasContent: hasContent(type, json),
    ...(usage ? { usage } : {}),
  };
}
