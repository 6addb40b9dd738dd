import { boundedText, MAX_MODEL_LENGTH } from "@429chain/contracts";
import { describeIssue, firstIssue } from "@429chain/translate";
import { z } from "zod";
import { GatewayError } from "../errors";

const tokenArray = z.array(z.number().int().min(0)).min(1);

/** The OpenAI embeddings request the gateway serves; unknown fields pass to the upstream. */
export const EmbeddingsRequestSchema = z.looseObject({
  model: boundedText(MAX_MODEL_LENGTH).optional(),
  input: z.union([
    z.string(),
    z.array(z.string()).min(1, "must not be empty"),
    tokenArray,
    z.array(tokenArray).min(1, "must not be empty"),
  ]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: z.number().int().positive().optional(),
  user: z.string().optional(),
});
export type EmbeddingsRequest = z.infer<typeof EmbeddingsRequestSchema>;

export function parseEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new GatewayError("invalid_request", "The request body must be a JSON object.");
  }
  const parsed = EmbeddingsRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = firstIssue(parsed.error.issues);
  const problem = issue
    ? describeIssue(issue, body)
    : { message: "The request body is invalid.", param: null };
  throw new GatewayError("invalid_request", problem.message, { param: problem.param });
}
