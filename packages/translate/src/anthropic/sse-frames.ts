import type { AnthropicStreamEvent } from "./types";

/** One Anthropic SSE frame: the event name repeats the payload's `type`, as Anthropic sends it. */
export function anthropicSseFrame(event: AnthropicStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The keep-alive Anthropic sends while the model is silent; SDKs skip it. */
export function anthropicPingFrame(): string {
  return 'event: ping\ndata: {"type": "ping"}\n\n';
}
