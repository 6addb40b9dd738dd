import type { AttemptOutcome } from "@429chain/contracts";
import type { SseEvent, StreamSignal } from "../types";
import { looksRateLimited, parseBodyHints } from "./body-hints";
import { describeError } from "./reason";

type Obj = Record<string, unknown>;
type Usage = NonNullable<Extract<StreamSignal, { kind: "chunk" }>["usage"]>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown) =>
  (typeof v === "string" && v !== "") || (Array.isArray(v) && v.length > 0);

/** An error reported inside a stream after HTTP 200. */
export function streamErrorOutcome(data: string, now: number): AttemptOutcome {
  const hints = parseBodyHints(data);
  const reason = `stream error: ${describeError(hints)}`;
  if (looksRateLimited(hints)) {
    const retryAt = hints.retryDelayMs === undefined ? undefined : now + hints.retryDelayMs;
    return { kind: "rate_limited", scope: "entry", retryAt, reason };
  }
  const status = Number(hints.code);
  return {
    kind: "upstream_error",
    ...(Number.isInteger(status) && status >= 400 ? { status } : {}),
    reason,
    midStream: true,
  };
}

function chunkHasContent(choices: unknown[]): boolean {
  return choices.some((choice) => {
    if (!isObj(choice)) return false;
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) return true;
    const delta = isObj(choice.delta) ? choice.delta : {};
    return (
      nonEmpty(delta.content) ||
      nonEmpty(delta.reasoning_content) ||
      // OpenRouter streams reasoning as `delta.reasoning`.
      nonEmpty(delta.reasoning) ||
      nonEmpty(delta.tool_calls) ||
      isObj(delta.function_call)
    );
  });
}

function readUsage(usage: unknown): Usage | undefined {
  if (!isObj(usage)) return undefined;
  const prompt = usage.prompt_tokens;
  const completion = usage.completion_tokens;
  if (typeof prompt !== "number" || typeof completion !== "number") return undefined;
  const total = typeof usage.total_tokens === "number" ? usage.total_tokens : prompt + completion;
  const details = usage.prompt_tokens_details;
  const cached =
    isObj(details) && typeof details.cached_tokens === "number" ? details.cached_tokens : 0;
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: total,
    ...(cached > 0 ? { cachedTokens: cached } : {}),
  };
}

function isFinishError(choices: unknown[]): boolean {
  return choices.some((c) => isObj(c) && c.finish_reason === "error");
}

/** The default meaning of one OpenAI-style stream event. */
export function classifyStreamEvent(event: SseEvent, now: number): StreamSignal {
  const data = event.data.trim();
  if (data === "[DONE]") return { kind: "done" };
  // Groq and Anthropic send an `event: error` frame.
  if (event.event === "error") return { kind: "error", outcome: streamErrorOutcome(data, now) };
  if (data === "") return { kind: "ignore" };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    const reason = "stream event is not JSON (unframed or garbage stream)";
    return { kind: "error", outcome: { kind: "upstream_error", reason, midStream: true } };
  }
  if (!isObj(json)) {
    const reason = "stream event is not a JSON object";
    return { kind: "error", outcome: { kind: "upstream_error", reason, midStream: true } };
  }
  const choices = Array.isArray(json.choices) ? json.choices : undefined;
  // OpenAI style: `{"error":…}` without choices; OpenRouter: top-level error plus
  // `finish_reason: "error"`.
  if (json.error !== undefined && (!choices || choices.length === 0 || isFinishError(choices))) {
    return { kind: "error", outcome: streamErrorOutcome(data, now) };
  }
  if (!choices) return { kind: "ignore" };
  const usage = readUsage(json.usage);
  return {
    kind: "chunk",
    data: event.data,
    json,
    hasContent: chunkHasContent(choices),
    ...(usage ? { usage } : {}),
  };
}
