import { isRecord } from "./blocks";
import type { TranslationIssues } from "./issues";
import type { AnthropicTool, AnthropicToolChoice } from "./types";

/**
 * Function tools as Anthropic custom tools (`parameters` → `input_schema`, which must be an
 * object schema). `strict` is dropped: Anthropic's strict tool use is not on every model, and a
 * 400 there would end the waterfall. OpenAI custom (grammar) tools have no Anthropic equivalent.
 */
export function chatToolsToAnthropic(tools: unknown, issues: TranslationIssues): AnthropicTool[] {
  if (!Array.isArray(tools)) return [];
  return tools.flatMap((tool, k): AnthropicTool[] => {
    if (!isRecord(tool)) return [];
    const fn = isRecord(tool.function) ? tool.function : null;
    if (tool.type !== "function" || !fn || typeof fn.name !== "string") {
      issues.unsupported.push(`${String(tool.type)} tool (tools[${k}])`);
      return [];
    }
    const parameters = isRecord(fn.parameters) ? fn.parameters : {};
    const out: AnthropicTool = {
      name: fn.name,
      input_schema: { type: "object", properties: {}, ...parameters },
    };
    if (typeof fn.description === "string" && fn.description !== "")
      out.description = fn.description;
    if (fn.strict === true) issues.notes.push(`strict dropped from tool ${fn.name}`);
    return [out];
  });
}

/** auto/required/function/none as auto/any/tool/none; `parallel_tool_calls: false` rides along. */
export function chatToolChoiceToAnthropic(
  choice: unknown,
  parallelToolCalls: unknown,
  issues: TranslationIssues,
): AnthropicToolChoice | undefined {
  let out: AnthropicToolChoice | undefined;
  if (choice === "auto") out = { type: "auto" };
  else if (choice === "required") out = { type: "any" };
  else if (choice === "none") out = { type: "none" };
  else if (isRecord(choice) && choice.type === "function" && isRecord(choice.function)) {
    if (typeof choice.function.name === "string")
      out = { type: "tool", name: choice.function.name };
  } else if (choice !== undefined && choice !== null) {
    issues.notes.push("tool_choice without an Anthropic equivalent dropped (auto)");
  }
  if (parallelToolCalls === false && out?.type !== "none") {
    out = { ...(out ?? { type: "auto" }), disable_parallel_tool_use: true } as AnthropicToolChoice;
  }
  return out;
}
