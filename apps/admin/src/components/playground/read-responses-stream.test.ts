import { describe, expect, it } from "vitest";
import { readResponsesStream } from "./read-responses-stream";

const frame = (type: string, fields: Record<string, unknown>) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;

function bodyOf(frames: string[]): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(frames.join(""));
  // Split mid-frame, as the network may deliver it.
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.slice(0, 37));
      controller.enqueue(bytes.slice(37));
      controller.close();
    },
  });
}

async function read(frames: string[]) {
  const seen = { text: "", usage: null as unknown, errors: [] as string[] };
  await readResponsesStream(bodyOf(frames), {
    onText: (t) => {
      seen.text += t;
    },
    onUsage: (u) => {
      seen.usage = u;
    },
    onError: (m) => {
      seen.errors.push(m);
    },
  });
  return seen;
}

describe("reading a Responses API stream", () => {
  it("collects the text deltas and the final usage", async () => {
    const seen = await read([
      frame("response.created", { response: { usage: null } }),
      frame("response.output_text.delta", { delta: "Hello" }),
      frame("response.output_text.delta", { delta: " there." }),
      frame("response.output_text.done", { text: "Hello there." }),
      frame("response.completed", {
        response: { usage: { input_tokens: 12, output_tokens: 3, total_tokens: 15 } },
      }),
    ]);
    expect(seen).toEqual({
      text: "Hello there.",
      usage: { promptTokens: 12, completionTokens: 3 },
      errors: [],
    });
  });

  it("reports a failure once, from response.failed and the error frame after it", async () => {
    const seen = await read([
      frame("response.output_text.delta", { delta: "Hel" }),
      frame("response.failed", { response: { error: { message: "upstream cut" } } }),
      frame("error", { message: "upstream cut", error: { message: "upstream cut" } }),
    ]);
    expect(seen).toEqual({ text: "Hel", usage: null, errors: ["upstream cut"] });
  });
});
