import type { FakeResponse, ReceivedRequest } from "./types";

/** The dimensions an unprogrammed `…/embeddings` path answers with unless asked for others. */
const FAKE_EMBEDDING_DIMENSIONS = 8;

/** A deterministic vector for a text: the same text always gives the same vector. */
function fakeVector(text: string, dimensions = FAKE_EMBEDDING_DIMENSIONS): number[] {
  const out: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    const code = text.charCodeAt(i % Math.max(1, text.length)) || 0;
    out.push(Math.round((((code * (i + 1)) % 97) / 97) * 1e6) / 1e6);
  }
  return out;
}

/** OpenAI's embeddings answer (float vectors) for the given inputs. */
export function embeddingsAnswer(
  model: string,
  inputs: string[],
  dimensions?: number,
): FakeResponse {
  return {
    status: 200,
    body: {
      object: "list",
      data: inputs.map((text, index) => ({
        object: "embedding",
        index,
        embedding: fakeVector(text, dimensions),
      })),
      model,
      usage: {
        prompt_tokens: inputs.reduce((n, t) => n + Math.ceil(t.length / 4), 0),
        total_tokens: inputs.reduce((n, t) => n + Math.ceil(t.length / 4), 0),
      },
    },
  };
}

/** What an unprogrammed `…/embeddings` path answers: vectors of the requested dimensions. */
export function embeddingsEchoResponse(req: ReceivedRequest): FakeResponse | undefined {
  if (!req.path.endsWith("/embeddings")) return undefined;
  const body = (typeof req.body === "object" && req.body !== null ? req.body : {}) as {
    model?: unknown;
    input?: unknown;
    dimensions?: unknown;
  };
  const inputs = (Array.isArray(body.input) ? body.input : [body.input]).map((i) =>
    typeof i === "string" ? i : JSON.stringify(i),
  );
  const dimensions = typeof body.dimensions === "number" ? body.dimensions : undefined;
  const model = typeof body.model === "string" ? body.model : "fake-embedder";
  return embeddingsAnswer(model, inputs, dimensions);
}
