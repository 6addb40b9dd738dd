import { type ChatCompletionRequest, ChatCompletionRequestSchema } from "@429chain/contracts";
import { GatewayError } from "../errors";

/** Validates the body; the first problem is named with its JSON path (`messages[0].role`). */
export function parseChatRequest(body: unknown): ChatCompletionRequest {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new GatewayError("invalid_request", "The request body must be a JSON object.");
  }
  const parsed = ChatCompletionRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue ? formatPath(issue.path) : null;
  const message =
    issue?.code === "invalid_type" && issue.input === undefined
      ? `'${param}' is required.`
      : `Invalid '${param}': ${issue?.message ?? "invalid value"}.`;
  throw new GatewayError("invalid_request", message, { param });
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    out += typeof part === "number" ? `[${part}]` : out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}
