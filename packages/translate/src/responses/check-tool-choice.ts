import type { RequestProblem } from "../describe-issue";
import type { ResponsesRequest } from "./request-schema";

/**
 * A `tool_choice` that forces a call needs a tool to call. Chat completions refuses
 * `tool_choice` without `tools`, so the translation sends it only with tools; this check keeps
 * a forced call without a matching tool from quietly becoming no call at all.
 */
export function checkToolChoice(request: ResponsesRequest): RequestProblem | null {
  const choice = request.tool_choice;
  if (choice == null || choice === "auto" || choice === "none") return null;
  const tools = request.tools ?? [];
  if (choice === "required") {
    if (tools.length > 0) return null;
    return {
      message: "Invalid 'tool_choice': 'required' needs at least one tool in 'tools'.",
      param: "tool_choice",
    };
  }
  if (tools.some((t) => t.name === choice.name)) return null;
  return {
    message: `Invalid 'tool_choice.name': no function tool named '${choice.name}' in 'tools'.`,
    param: "tool_choice.name",
  };
}
