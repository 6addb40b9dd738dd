import { type ChatCompletionRequest, ChatCompletionRequestSchema } from "@429chain/contracts";
import { describeIssue, firstIssue } from "@429chain/translate";
import { GatewayError } from "../errors";

/** Validates the body; the first problem is named with its JSON path (`messages[0].role`). */
export function parseChatRequest(body: unknown): ChatCompletionRequest {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new GatewayError("invalid_request", "The request body must be a JSON object.");
  }
  const parsed = ChatCompletionRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = firstIssue(parsed.error.issues);
  const problem = issue
    ? describeIssue(issue, body)
    : { message: "The request body is invalid.", param: null };
  throw new GatewayError("invalid_request", problem.message, { param: problem.param });
}
