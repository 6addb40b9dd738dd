import OpenAI, { APIError } from "openai";
import { describe, expect, it } from "vitest";
import type { ChatCompletion } from "../chat-types";
import { chatCompletionToResponse } from "./chat-completion-to-response";
import {
  encodeStreamFixture,
  parsedRequest,
  type StreamFixture,
} from "./fixtures/encode-stream-fixture";
import { readFixture } from "./fixtures/read-fixtures";
import { parseResponsesRequest } from "./parse-responses-request";

/**
 * The strongest proof the shapes are right: the official `openai` SDK, offline, reading what
 * the translation writes. A fake fetch stands where the gateway would; it also keeps the body
 * the SDK sent, which must pass our own parser.
 */
function sdkAgainst(answer: () => Response) {
  const sent: unknown[] = [];
  const client = new OpenAI({
    apiKey: "sk-test",
    baseURL: "http://gateway.test/v1",
    maxRetries: 0,
    fetch: async (_url, init) => {
      sent.push(JSON.parse(String(init?.body)));
      return answer();
    },
  });
  return { client, sent };
}

/** The frames as a network would deliver them: cut at arbitrary byte boundaries. */
function sse(frames: string[]): Response {
  const bytes = new TextEncoder().encode(frames.join(""));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

function streamFixture(name: string): StreamFixture {
  return readFixture<StreamFixture>(`streams/${name}.json`);
}

/** `responses.stream()` params from a fixture request: the SDK adds `stream: true` itself. */
function streamParams(f: StreamFixture) {
  const { stream: _stream, ...params } = f.request;
  return params as unknown as OpenAI.Responses.ResponseCreateParamsStreaming;
}

describe("the openai SDK reading the translation", () => {
  it("streams a text answer: events in order, finalResponse with output_text", async () => {
    const f = streamFixture("text");
    const { client, sent } = sdkAgainst(() => sse(encodeStreamFixture(f)));
    const stream = client.responses.stream(streamParams(f));
    const types: string[] = [];
    const snapshots: string[] = [];
    stream.on("response.output_text.delta", (e) => snapshots.push(e.snapshot));
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalResponse();

    expect(parseResponsesRequest(sent[0])).toMatchObject({ ok: true });
    expect(types).toEqual(f.events.map((e) => e.type));
    expect(snapshots).toEqual(["Hel", "Hello", "Hello!"]);
    expect(final.output_text).toBe("Hello!");
    expect(final).toMatchObject(f.events.at(-1)!.response as object);
  });

  it("streams two tool calls: argument snapshots, and strict arguments parsed by the SDK", async () => {
    const f = streamFixture("two-tool-calls");
    const { client } = sdkAgainst(() => sse(encodeStreamFixture(f)));
    const stream = client.responses.stream(streamParams(f));
    const argumentSnapshots: string[] = [];
    stream.on("response.function_call_arguments.delta", (e) => argumentSnapshots.push(e.snapshot));
    const final = await stream.finalResponse();

    expect(argumentSnapshots).toEqual(['{"ci', '{"city":"Paris"}', '{"city":', '{"city":"Oslo"}']);
    expect(final.output_text).toBe("Checking both.");
    expect(final.output.filter((o) => o.type === "function_call")).toEqual([
      expect.objectContaining({ call_id: "call_a", parsed_arguments: { city: "Paris" } }),
      expect.objectContaining({ call_id: "call_b", parsed_arguments: { city: "Oslo" } }),
    ]);
    expect(final.usage).toEqual({
      input_tokens: 80,
      input_tokens_details: { cached_tokens: 64 },
      output_tokens: 30,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 110,
    });
  });

  it("streams a length cut as an incomplete response", async () => {
    const f = streamFixture("length-cut");
    const { client } = sdkAgainst(() => sse(encodeStreamFixture(f)));
    const final = await client.responses.stream(streamParams(f)).finalResponse();
    expect(final.status).toBe("incomplete");
    expect(final.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(final.output_text).toBe("Once upon a");
  });

  it("raises a mid-stream failure, after delivering response.failed", async () => {
    const f = streamFixture("mid-stream-fail");
    const { client } = sdkAgainst(() => sse(encodeStreamFixture(f)));
    const stream = client.responses.stream(streamParams(f));
    const types: string[] = [];
    const iterate = async () => {
      for await (const event of stream) types.push(event.type);
    };
    const failure = await iterate().then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).message).toBe(
      "The upstream stream failed after it started: connection reset",
    );
    expect((failure as APIError).code).toBe("upstream_stream_error");
    expect(types.at(-1)).toBe("response.failed");
    await expect(stream.finalResponse()).rejects.toThrow("connection reset");
  });

  it("parses a non-stream response: output_text, items and usage", async () => {
    const f = readFixture<{ request: unknown; id: string; chat: ChatCompletion }>(
      "answers/tool-calls.json",
    );
    const body = chatCompletionToResponse(f.chat, parsedRequest(f.request), { id: f.id });
    const { client, sent } = sdkAgainst(() => Response.json(body));
    const response = await client.responses.create({
      ...(f.request as OpenAI.Responses.ResponseCreateParamsNonStreaming),
      stream: false,
    });
    expect(parseResponsesRequest(sent[0])).toMatchObject({ ok: true });
    expect(response.output_text).toBe("Checking both.");
    expect(response).toEqual({ ...body, output_text: "Checking both." });
  });
});
