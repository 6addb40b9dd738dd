import type { RequestProblem } from "../describe-issue";

const RESEND =
  "this gateway is stateless and stores no responses: send the whole conversation as 'input' (earlier messages, function_call and function_call_output items) instead.";

/**
 * Parameters that only make sense against stored state. They get their own message because
 * "unsupported parameter" alone would not tell the client what to do instead.
 */
export function statefulParameterProblem(body: Record<string, unknown>): RequestProblem | null {
  if (body.previous_response_id != null) {
    return {
      message: `'previous_response_id' is not supported: ${RESEND}`,
      param: "previous_response_id",
    };
  }
  if (body.conversation != null) {
    return { message: `'conversation' is not supported: ${RESEND}`, param: "conversation" };
  }
  if (body.background === true) {
    return {
      message:
        "Unsupported parameter: 'background'. This gateway answers in the foreground only and stores no responses to poll.",
      param: "background",
    };
  }
  return null;
}
