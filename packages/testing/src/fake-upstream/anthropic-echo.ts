import { anthropicMessage } from "./anthropic-message";
import { anthropicStreamed } from "./anthropic-stream";
import type { FakeResponse, ReceivedRequest } from "./types";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null;

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block) => {
      if (!isObj(block)) return "";
      if (typeof block.text === "string") return block.text;
      if (block.type === "tool_result") return textOf(block.content);
      return JSON.stringify(block.type === "tool_use" ? block.input : block);
    })
    .join("");
}

/**
 * What the fake's count_tokens answers: ⌈characters / 4⌉ of the system prompt and every
 * message's text (text blocks, tool results' text, tool calls' input as JSON, other blocks
 * as JSON), at least 1. Deterministic, so tests can assert the exact number.
 */
export function fakeAnthropicTokenCount(body: unknown): number {
  const b = isObj(body) ? body : {};
  let chars = textOf(b.system).length;
  for (const m of Array.isArray(b.messages) ? b.messages : []) {
    if (isObj(m)) chars += textOf(m.content).length;
  }
  return Math.max(1, Math.ceil(chars / 4));
}

const DEFAULT_TEXTS = ["Hello", " from the fake upstream."];

/**
 * An unprogrammed `…/v1/messages` path: a message echoing the model, streamed when the body
 * asks; `…/v1/messages/count_tokens`: `{"input_tokens": n}`. The prompt usage is the count.
 */
export function anthropicEchoResponse(req: ReceivedRequest): FakeResponse | undefined {
  const body = isObj(req.body) ? req.body : {};
  if (req.path.endsWith("/v1/messages/count_tokens")) {
    return { status: 200, body: { input_tokens: fakeAnthropicTokenCount(body) } };
  }
  if (!req.path.endsWith("/v1/messages")) return undefined;
  const model = typeof body.model === "string" ? body.model : "fake-model";
  const text = DEFAULT_TEXTS.join("");
  const usage = { input_tokens: fakeAnthropicTokenCount(body), output_tokens: 5 };
  if (body.stream === true) return anthropicStreamed(model, DEFAULT_TEXTS, { usage });
  return anthropicMessage(model, text, usage);
}
