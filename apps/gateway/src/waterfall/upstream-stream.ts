import type { AttemptOutcome, TokenUsage } from "@429chain/contracts";
import { mergeStreamUsage, type ProviderAdapter, SseParser } from "@429chain/providers";
import type { Dispatcher } from "undici";

/** One upstream event worth relaying, in the upstream's own API (its wire). */
export interface StreamEvent {
  kind: "event";
  /** The SSE `event:` name, when the upstream sends one (Anthropic always does). */
  event: string | undefined;
  /** The raw `data:` text, relayed byte for byte when client and upstream speak alike. */
  data: string;
  json: Record<string, unknown>;
  /** True once the event carries content, tool calls or a finish reason. */
  hasContent: boolean;
}

/** The upstream's final frame: chat's `[DONE]` (no data), Anthropic's `message_stop`. */
export interface StreamDone {
  kind: "done";
  event?: string;
  data?: string;
}

export type StreamItem =
  | StreamEvent
  | StreamDone
  | { kind: "error"; outcome: AttemptOutcome }
  /** The upstream closed the stream without its final frame. */
  | { kind: "truncated"; reason: string };

/**
 * Reads an upstream SSE body on demand: nothing is pulled from the socket until the relay asks
 * for the next item, so a slow client slows the upstream (back-pressure, flat memory). Usage
 * is merged from every event that reports some (an Anthropic stream reports it in two parts).
 */
export class UpstreamStream {
  usage: TokenUsage | undefined;
  /** Characters of generated text seen, for estimating usage when the upstream sends none. */
  completionChars = 0;
  private readonly items: AsyncGenerator<StreamItem>;

  constructor(
    private readonly body: Dispatcher.ResponseData["body"],
    private readonly adapter: ProviderAdapter,
  ) {
    this.items = this.read();
  }

  next(): Promise<IteratorResult<StreamItem>> {
    return this.items.next();
  }

  /** Stops reading and releases the upstream socket. */
  destroy(): void {
    this.body.destroy();
    void this.items.return(undefined);
  }

  private async *read(): AsyncGenerator<StreamItem> {
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const finalText = () => [...parser.push(decoder.decode()), ...parser.end()];
    for await (const chunk of this.body) {
      for (const event of parser.push(decoder.decode(chunk as Buffer, { stream: true }))) {
        const item = this.toItem(event);
        if (item) yield item;
        if (item?.kind === "done" || item?.kind === "error") return;
      }
    }
    for (const event of finalText()) {
      const item = this.toItem(event);
      if (item) yield item;
      if (item?.kind === "done" || item?.kind === "error") return;
    }
    yield {
      kind: "truncated",
      reason: parser.sawUnframedData
        ? "upstream sent data that is not an event stream"
        : "stream ended without its final event",
    };
  }

  private toItem(event: Parameters<ProviderAdapter["classifyStreamEvent"]>[0]): StreamItem | null {
    const signal = this.adapter.classifyStreamEvent(event, Date.now());
    switch (signal.kind) {
      case "ignore":
        return null;
      case "done":
        return signal.event === undefined
          ? { kind: "done" }
          : { kind: "done", event: signal.event, data: signal.data };
      case "error":
        return { kind: "error", outcome: signal.outcome };
      case "chunk": {
        if (signal.usage) this.usage = mergeStreamUsage(this.usage, signal.usage);
        this.completionChars += generatedChars(signal.json);
        return {
          kind: "event",
          event: signal.event,
          data: signal.data,
          json: signal.json,
          hasContent: signal.hasContent,
        };
      }
    }
  }
}

/** Generated text in a chat chunk's deltas or an Anthropic content_block_delta. */
function generatedChars(json: Record<string, unknown>): number {
  const delta = json.delta as Record<string, unknown> | undefined;
  if (delta && typeof delta === "object") {
    for (const field of ["text", "thinking", "partial_json"]) {
      const value = delta[field];
      if (typeof value === "string") return value.length;
    }
  }
  const choices = json.choices;
  if (!Array.isArray(choices)) return 0;
  let n = 0;
  for (const c of choices as Array<{ delta?: Record<string, unknown> }>) {
    for (const field of ["content", "reasoning_content", "reasoning"]) {
      const value = c.delta?.[field];
      if (typeof value === "string") n += value.length;
    }
  }
  return n;
}
