import { describe, expect, it } from "vitest";
import { SseEventTooLargeError, SseParser } from "./sse-parser";

function feed(chunks: string[]) {
  const parser = new SseParser();
  const events = chunks.flatMap((c) => parser.push(c));
  return [...events, ...parser.end()];
}

describe("SseParser", () => {
  it("parses LF-framed events", () => {
    expect(feed(['data: {"a":1}\n\ndata: [DONE]\n\n'])).toEqual([
      { event: undefined, data: '{"a":1}' },
      { event: undefined, data: "[DONE]" },
    ]);
  });

  it("handles CRLF with the pair split across chunks", () => {
    expect(feed(["data: one\r", "\n\r", "\ndata: two\r\n\r\n"])).toEqual([
      { event: undefined, data: "one" },
      { event: undefined, data: "two" },
    ]);
  });

  it("handles lone CR line endings", () => {
    expect(feed(["data: a\r\rdata: b\r\r"])).toEqual([
      { event: undefined, data: "a" },
      { event: undefined, data: "b" },
    ]);
  });

  it("treats CR at a chunk end followed by a non-LF as a line end", () => {
    expect(feed(["data: a\r", "\rdata: b\n\n"])).toEqual([
      { event: undefined, data: "a" },
      { event: undefined, data: "b" },
    ]);
  });

  it("joins a line split across chunks", () => {
    expect(feed(["da", 'ta: {"x"', ":2}\n", "\n"])).toEqual([
      { event: undefined, data: '{"x":2}' },
    ]);
  });

  it("accepts data: without a space and keeps extra spaces after the first", () => {
    expect(feed(["data:{}\n\ndata:  two\n\n"])).toEqual([
      { event: undefined, data: "{}" },
      { event: undefined, data: " two" },
    ]);
  });

  it("ignores comments and keep-alive blank lines", () => {
    expect(feed([": keep-alive\n\n\n: OPENROUTER PROCESSING\n\ndata: x\n\n\n\n"])).toEqual([
      { event: undefined, data: "x" },
    ]);
  });

  it("joins multi-line data with \\n", () => {
    expect(feed(["data: a\ndata: b\ndata:\n\n"])).toEqual([{ event: undefined, data: "a\nb\n" }]);
  });

  it("carries the event type and ignores id and retry", () => {
    expect(feed(['event: error\nid: 7\nretry: 100\ndata: {"error":{}}\n\ndata: y\n\n'])).toEqual([
      { event: "error", data: '{"error":{}}' },
      { event: undefined, data: "y" },
    ]);
  });

  it("end() flushes an unterminated last event", () => {
    const parser = new SseParser();
    expect(parser.push("data: a\n\ndata: partial")).toEqual([{ event: undefined, data: "a" }]);
    expect(parser.end()).toEqual([{ event: undefined, data: "partial" }]);
    expect(parser.end()).toEqual([]);
  });

  it("end() flushes a last event missing its blank line", () => {
    const parser = new SseParser();
    expect(parser.push("data: [DONE]\n")).toEqual([]);
    expect(parser.end()).toEqual([{ event: undefined, data: "[DONE]" }]);
  });

  it("flags unframed data such as Gemini raw JSON", () => {
    const parser = new SseParser();
    expect(parser.push('[{\n  "candidates": []\n}]\n')).toEqual([]);
    expect(parser.end()).toEqual([]);
    expect(parser.sawUnframedData).toBe(true);
    const framed = new SseParser();
    framed.push(": ping\ndata: x\n\n");
    expect(framed.sawUnframedData).toBe(false);
  });

  it("throws SseEventTooLargeError for an event over the bound", () => {
    const parser = new SseParser(100);
    expect(() => {
      for (let i = 0; i < 10; i++) parser.push(`data: ${"x".repeat(20)}\n`);
    }).toThrow(SseEventTooLargeError);
  });

  it("throws for an unterminated line over the bound", () => {
    const parser = new SseParser(100);
    expect(() => parser.push(`data: ${"x".repeat(200)}`)).toThrow(SseEventTooLargeError);
  });

  it("resets the bound after each dispatched event", () => {
    const parser = new SseParser(100);
    const line = `data: ${"x".repeat(60)}\n\n`;
    expect(parser.push(line + line + line)).toHaveLength(3);
  });
});
