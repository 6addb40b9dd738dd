import "server-only";

/** How many leading numbers of the vector the playground shows. */
const EMBEDDING_PREVIEW_LENGTH = 5;

/** What the playground shows of an embeddings answer: never the whole vector. */
export interface EmbeddingSummary {
  /** The `model` field of the answer: the upstream model that served. */
  model: string | null;
  /** The vector's length. */
  length: number;
  preview: number[];
  usage: { promptTokens: number; totalTokens: number } | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null;

/** Summarises OpenAI's `{object: "list", data: [{embedding}], model, usage}`; null otherwise. */
export function summariseEmbeddings(json: unknown): EmbeddingSummary | null {
  if (!isObj(json) || !Array.isArray(json.data)) return null;
  const first: unknown = json.data[0];
  if (!isObj(first) || !Array.isArray(first.embedding)) return null;
  const vector = first.embedding as unknown[];
  if (!vector.every((n) => typeof n === "number")) return null;
  const usage = isObj(json.usage) ? json.usage : null;
  return {
    model: typeof json.model === "string" ? json.model : null,
    length: vector.length,
    preview: (vector as number[]).slice(0, EMBEDDING_PREVIEW_LENGTH),
    usage: usage
      ? {
          promptTokens: Number(usage.prompt_tokens ?? 0),
          totalTokens: Number(usage.total_tokens ?? usage.prompt_tokens ?? 0),
        }
      : null,
  };
}
