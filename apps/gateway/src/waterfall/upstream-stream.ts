import type { AttemptOutcome, TokenUsage } from "@429chain/contracts";
import { mergeStreamUsage, type ProviderAdapter, SseParser } from "@429chain/providers";
import type { Dispatcher } from "undici";
import { normalizeChoices } from "./normalize";

export type StreamItem =
  | { kind: "frame"; frame: string; hasContent: boolean }
  | { kind: "done" }
  | { kind: "error"; outcome: AttemptOutcome }
  /** The upstream closed the stream without its final `[DONE]`. */
  | { kind: "truncated"; reason: string };

export interface UpstreamStreamOptions {
  normalize: boolean;
  /** Whether the client asked for the usage chunk (we always ask the upstream for it). */
  clientWantsUsage: boolean;
}

/**
 * Reads an upstream SSE body on demand: nothing is pulled from the socket until the relay asks
 * for the next item, so a slow client slows the upstream (back-pressure, flat memory).
 */
export class UpstreamStream {
  usage: TokenUsage | undefined;
  /** Characters of generated text seen, for estimating usage when the upstream sends none. */
  completionChars = 0;
  private readonly items: AsyncGenerator<StreamItem>;

  constructor(
    private readonly body: Dispatcher.ResponseData["body"],
    private readonly adapter: ProviderAdapter,
    private readonly opts: UpstreamStreamOptions,
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
    for await (const chunk of this.body) {
      const events = parser.push(decoder.decode(chunk as Buffer, { stream: true }));
      for (const event of events) {
        const item = this.toItem(event);
        if (item) yield item;
        if (item?.kind === "done" || item?.kind === "error") return;
      }
    }
    for (const event of parser.push(decoder.decode())) {
      const item = this.toItem(event);
      if (item) yield item;
      if (item?.kind === "done" || item?.kind === "error") return;
    }
    for (const event of parser.end()) {
      const item = this.toItem(event);
      if (item) yield item;
      if (item?.kind === "done" || item?.kind === "error") return;
    }
    yield {
      kind: "truncated",
      reason: parser.sawUnframedData
        ? "upstream sent data that is not an event stream"
        : "stream ended without [DONE]",
    };
  }

  private toItem(event: Parameters<ProviderAdapter["classifyStreamEvent"]>[0]): StreamItem | null {
    const signal = this.adapter.classifyStreamEvent(event, Date.now());
    switch (signal.kind) {
      case "ignore":
        return null;
      case "done":
        return { kind: "done" };
      case "error":
        return { kind: "error", outcome: signal.outcome };
      case "chunk": {
        if (signal.usage) this.usage = mergeStreamUsage(this.usage, signal.usage);
        this.completionChars += deltaChars(signal.json);
        const choices = signal.json.choices;
        const usageOnly = Array.isArray(choices) && choices.length === 0 && signal.usage;
        // We add include_usage upstream; a client that did not ask for it gets no usage chunk.
        if (usageOnly && !this.opts.clientWantsUsage) return null;
        let data = signal.data;
        if (this.opts.normalize && normalizeChoices(signal.json))
          data = JSON.stringify(signal.json);
        return { kind: "frame", frame: `data: ${data}\n\n`, hasContent: signal.hasContent };
      }
    }
  }
}

function deltaChars(json: Record<string, unknown>): number {
  const choices = json.choices;
  if (!Array.isArray(choices)) return 0;
  let n = 0;
  for (const c of choices as Array<{ delta?: Record<string, unknown> }>) {
    const content = c.delta?.content;
    const reasoning = c.delta?.reasoning_content;
    if (typeof content === "string") n += content.length;
    if (typeof reasoning === "string") n += reasoning.length;
  }
  return n;
}
