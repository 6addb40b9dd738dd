import type { RequestProblem } from "../describe-issue";
import type { InputItem } from "./input-item-schema";

/**
 * What the schema cannot see item by item: which parts a role may carry in chat completions
 * (images only from the user, refusals only from the assistant), and that every
 * `function_call_output` answers a `function_call` sent earlier in the same input — the
 * conversation is all there is, nothing is looked up.
 */
export function checkInputItems(items: readonly InputItem[]): RequestProblem | null {
  const callIds = new Set<string>();
  for (const [i, item] of items.entries()) {
    if (item.type === "function_call") {
      callIds.add(item.call_id);
      continue;
    }
    if (item.type === "function_call_output") {
      if (!callIds.has(item.call_id)) {
        return {
          message: `No function_call item with call_id '${item.call_id}' comes before this function_call_output in 'input'.`,
          param: `input[${i}].call_id`,
        };
      }
      continue;
    }
    if (typeof item.content === "string") continue;
    for (const [j, part] of item.content.entries()) {
      const param = `input[${i}].content[${j}].type`;
      if (part.type === "input_image" && item.role !== "user") {
        return {
          message: `Invalid '${param}': 'input_image' is only allowed in user messages.`,
          param,
        };
      }
      if (part.type === "refusal" && item.role !== "assistant") {
        return {
          message: `Invalid '${param}': 'refusal' is only allowed in assistant messages.`,
          param,
        };
      }
    }
  }
  return null;
}
