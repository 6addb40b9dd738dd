import type { SseEvent } from "../types";

/** 8 MiB, counted in UTF-16 code units (≈ bytes for the ASCII JSON providers send). */
export const MAX_SSE_EVENT_SIZE = 8 * 1024 * 1024;

/** A single event (or an unterminated line) grew past the bound: the upstream is misbehaving. */
export class SseEventTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`SSE event larger than ${limit} characters`);
    this.name = "SseEventTooLargeError";
  }
}

const LINE_BREAK = /[\r\n]/g;
const KNOWN_FIELDS = new Set(["data", "event", "id", "retry"]);

/**
 * Incremental Server-Sent Events parser (WHATWG framing). Handles CRLF, lone CR and LF, a
 * CRLF split across chunks, `data:` without a space, comments (`: keep-alive`,
 * `: OPENROUTER PROCESSING`), multi-line data and keep-alive blank lines.
 */
export class SseParser {
  private partial = "";
  private skipLeadingLf = false;
  private data: string[] = [];
  private dataSize = 0;
  private eventType: string | undefined;
  private unframed = false;

  constructor(private readonly maxEventSize = MAX_SSE_EVENT_SIZE) {}

  /** True once a non-blank line that is not an SSE field was seen (e.g. Gemini raw JSON). */
  get sawUnframedData(): boolean {
    return this.unframed;
  }

  push(chunk: string): SseEvent[] {
    const events: SseEvent[] = [];
    if (chunk === "") return events;
    let pos = 0;
    // The previous chunk ended in CR: a leading LF completes that CRLF, not a blank line.
    if (this.skipLeadingLf && chunk.startsWith("\n")) pos = 1;
    this.skipLeadingLf = false;
    LINE_BREAK.lastIndex = pos;
    for (let m = LINE_BREAK.exec(chunk); m; m = LINE_BREAK.exec(chunk)) {
      const line = this.partial + chunk.slice(pos, m.index);
      this.partial = "";
      pos = m.index + 1;
      if (m[0] === "\r") {
        if (pos === chunk.length) this.skipLeadingLf = true;
        else if (chunk[pos] === "\n") pos += 1;
      }
      LINE_BREAK.lastIndex = pos;
      this.processLine(line, events);
    }
    this.partial += chunk.slice(pos);
    if (this.partial.length + this.dataSize > this.maxEventSize) {
      throw new SseEventTooLargeError(this.maxEventSize);
    }
    return events;
  }

  /** Flushes an unterminated last line and event: many upstreams omit the final blank line. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.partial !== "") this.processLine(this.partial, events);
    this.partial = "";
    this.skipLeadingLf = false;
    this.dispatch(events);
    return events;
  }

  private processLine(line: string, events: SseEvent[]): void {
    if (line === "") {
      this.dispatch(events);
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (!KNOWN_FIELDS.has(field)) {
      if (line.trim() !== "") this.unframed = true;
      return;
    }
    if (field === "data") {
      this.dataSize += value.length + 1;
      if (this.dataSize > this.maxEventSize) throw new SseEventTooLargeError(this.maxEventSize);
      this.data.push(value);
    } else if (field === "event") {
      this.eventType = value === "" ? undefined : value;
    }
  }

  private dispatch(events: SseEvent[]): void {
    if (this.data.length > 0) events.push({ event: this.eventType, data: this.data.join("\n") });
    this.data = [];
    this.dataSize = 0;
    this.eventType = undefined;
  }
}
