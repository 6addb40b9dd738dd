import { describeIssue, firstIssue, type RequestProblem } from "../describe-issue";
import { checkInputItems } from "./check-input-items";
import { checkToolChoice } from "./check-tool-choice";
import { type ResponsesRequest, ResponsesRequestSchema } from "./request-schema";
import { statefulParameterProblem } from "./stateful-parameter";
import { responsesUnsupportedType } from "./unsupported-type";

export type ResponsesRequestParse =
  | { ok: true; request: ResponsesRequest }
  | { ok: false; error: RequestProblem };

/**
 * Validates a `POST /v1/responses` body. A problem is a value naming the field (`param`) so
 * the route can answer a 400 `invalid_request` in OpenAI's error shape.
 */
export function parseResponsesRequest(body: unknown): ResponsesRequestParse {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return {
      ok: false,
      error: { message: "The request body must be a JSON object.", param: null },
    };
  }
  const stateful = statefulParameterProblem(body as Record<string, unknown>);
  if (stateful) return { ok: false, error: stateful };
  const parsed = ResponsesRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error.issues);
    const error = issue
      ? describeIssue(issue, body, responsesUnsupportedType)
      : { message: "The request body is invalid.", param: null };
    return { ok: false, error };
  }
  const request = parsed.data;
  const problem =
    (typeof request.input === "string" ? null : checkInputItems(request.input)) ??
    checkToolChoice(request);
  if (problem) return { ok: false, error: problem };
  return { ok: true, request };
}
