import { GatewayError } from "../errors";
import { openAiClientError } from "./chat-surface";
import { type EmbeddingsRequest, parseEmbeddingsRequest } from "./embeddings-request";
import type { Surface } from "./surface";

/**
 * `POST /v1/embeddings` on an embeddings chain. Every entry is asked for float vectors (some
 * OpenAI-compatible servers have no base64) and the gateway encodes base64 itself when the
 * client asked for it (the openai SDK does by default). An answer whose vectors have another
 * length than the chain declares is that entry's failure: vectors of different models must
 * never be mixed unknowingly, so the answer also always names the model that served it.
 */
export const embeddingsSurface: Surface = {
  name: "embeddings",
  chainKind: "embeddings",
  parse(body) {
    const req: EmbeddingsRequest = parseEmbeddingsRequest(body);
    return {
      model: req.model,
      stream: false,
      promptTokens: inputTokens(req.input),
      maxOutputTokens: undefined,
      callFor(entry) {
        if (entry.adapter.endpoints.embeddings === undefined) {
          return { unsupported: `${entry.provider.type} has no embeddings API` };
        }
        const { encoding_format: _format, ...rest } = req;
        return { op: "embeddings", body: { ...rest, encoding_format: "float" } };
      },
      checkChain(chain) {
        if (
          req.dimensions !== undefined &&
          chain.dimensions !== undefined &&
          req.dimensions !== chain.dimensions
        ) {
          throw new GatewayError(
            "invalid_request",
            `Chain '${chain.name}' serves ${chain.dimensions}-dimension vectors; ${req.dimensions} were asked for.`,
            { param: "dimensions" },
          );
        }
      },
      acceptAnswer(answer, _entry, chain) {
        const data = answer.data;
        if (!Array.isArray(data)) return "answer holds no embeddings";
        const want = req.dimensions ?? chain.dimensions;
        for (const item of data as Array<{ embedding?: unknown }>) {
          if (!Array.isArray(item.embedding)) return "answer holds an embedding that is not a list";
          if (want !== undefined && item.embedding.length !== want) {
            return `embedding has ${item.embedding.length} dimensions, the chain needs ${want}`;
          }
        }
        return undefined;
      },
      encodeJson(answer, entry) {
        const data = (answer.json.data as Array<{ index?: number; embedding: number[] }>).map(
          (item, i) => ({
            object: "embedding",
            index: item.index ?? i,
            embedding: req.encoding_format === "base64" ? toBase64(item.embedding) : item.embedding,
          }),
        );
        const usage = answer.json.usage as { prompt_tokens?: number } | undefined;
        const prompt = usage?.prompt_tokens ?? inputTokens(req.input);
        return JSON.stringify({
          object: "list",
          data,
          model: entry.model,
          usage: { prompt_tokens: prompt, total_tokens: prompt },
        });
      },
      streamEncoder() {
        throw new GatewayError("internal_error", "embeddings are never streamed");
      },
      clientError: openAiClientError,
    };
  },
};

/** OpenAI's base64 embeddings: the vector's float32 values, little-endian. */
function toBase64(vector: number[]): string {
  const floats = new Float32Array(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString("base64");
}

/** Tokens of the input: characters / 4 for text (the gateway's usual rule), counts for tokens. */
function inputTokens(input: EmbeddingsRequest["input"]): number {
  const items: unknown[] = Array.isArray(input) ? input : [input];
  let tokens = 0;
  for (const item of items) {
    if (typeof item === "string") tokens += Math.ceil(item.length / 4);
    else if (Array.isArray(item)) tokens += item.length;
    else if (typeof item === "number") tokens += 1;
  }
  return Math.max(1, tokens);
}
