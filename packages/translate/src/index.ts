export type * from "./chat-types";
export {
  describeIssue,
  firstIssue,
  type RequestProblem,
  type UnsupportedTypeMessage,
} from "./describe-issue";

// Responses API (POST /v1/responses, stateless) ↔ chat completions.
export { chatCompletionToResponse } from "./responses/chat-completion-to-response";
export {
  parseResponsesRequest,
  type ResponsesRequestParse,
} from "./responses/parse-responses-request";
export { type ResponsesRequest, ResponsesRequestSchema } from "./responses/request-schema";
export type { ResponseObject } from "./responses/response-types";
export {
  createResponsesStreamEncoder,
  type ResponsesStreamOptions,
} from "./responses/responses-stream-encoder";
export { responsesToChatRequest } from "./responses/responses-to-chat-request";
