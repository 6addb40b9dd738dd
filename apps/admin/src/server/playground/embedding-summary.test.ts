import { describe, expect, it } from "vitest";
import { summariseEmbeddings } from "./embedding-summary";

describe("summarising an embeddings answer", () => {
  it("keeps the length, a short preview, the serving model and the usage", () => {
    const embedding = Array.from({ length: 1536 }, (_, i) => i / 1000);
    expect(
      summariseEmbeddings({
        object: "list",
        data: [{ object: "embedding", index: 0, embedding }],
        model: "text-embedding-3-small",
        usage: { prompt_tokens: 7, total_tokens: 7 },
      }),
    ).toEqual({
      model: "text-embedding-3-small",
      length: 1536,
      preview: [0, 0.001, 0.002, 0.003, 0.004],
      usage: { promptTokens: 7, totalTokens: 7 },
    });
  });

  it("refuses what is not a float embeddings list", () => {
    expect(summariseEmbeddings(null)).toBeNull();
    expect(summariseEmbeddings({ data: [] })).toBeNull();
    expect(summariseEmbeddings({ data: [{ embedding: "AAAAPw==" }] })).toBeNull();
    expect(summariseEmbeddings({ choices: [] })).toBeNull();
  });
});
