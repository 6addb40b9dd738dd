import { isRecord } from "./blocks";
import type { TranslationIssues } from "./issues";

interface ChatFunctionTool {
  type: "function";
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

// Tools Anthropic runs on its side; every other typed tool is one whose schema only Claude knows.
const SERVER_TOOL = /^(web_search|web_fetch|code_execution|tool_search_tool_(regex|bm25))_/;

function anthropicOnlyTool(type: string): string {
  if (SERVER_TOOL.test(type)) return `server tool ${type}`;
  if (type.startsWith("mcp_toolset")) return `MCP toolset ${type}`;
  return `Anthropic-defined tool ${type}`;
}

/**
 * Custom tools as function tools (`input_schema` → `parameters`). `cache_control`, `strict`,
 * `defer_loading`, `input_examples` and `eager_input_streaming` are Anthropic-only and dropped
 * (`strict` would make OpenAI reject schemas that are not strict-compatible). Server tools and
 * Anthropic-defined client tools (bash, text editor, computer, memory) are unsupported.
 */
export function anthropicToolsToChat(tools: unknown, issues: TranslationIssues): unknown[] {
  if (!Array.isArray(tools)) return [];
  return tools.flatMap((tool, k): unknown[] => {
    if (!isRecord(tool) || typeof tool.name !== "string") return [];
    if (tool.type !== undefined && tool.type !== null && tool.type !== "custom") {
      issues.unsupported.push(`${anthropicOnlyTool(String(tool.type))} (tools[${k}])`);
      return [tool];
    }
    const fn: ChatFunctionTool["function"] = {
      name: tool.name,
      parameters: isRecord(tool.input_schema)
        ? tool.input_schema
        : { type: "object", properties: {} },
    };
    if (typeof tool.description === "string") fn.description = tool.description;
    return [{ type: "function", function: fn } satisfies ChatFunctionTool];
  });
}

/** `tool_choice` auto/any/tool/none as auto/required/function/none, plus parallel tool calls. */
export function anthropicToolChoiceToChat(choice: unknown): {
  tool_choice?: unknown;
  parallel_tool_calls?: boolean;
} {
  if (!isRecord(choice)) return {};
  const out: { tool_choice?: unknown; parallel_tool_calls?: boolean } = {};
  if (choice.type === "auto") out.tool_choice = "auto";
  else if (choice.type === "any") out.tool_choice = "required";
  else if (choice.type === "none") out.tool_choice = "none";
  else if (choice.type === "tool" && typeof choice.name === "string") {
    out.tool_choice = { type: "function", function: { name: choice.name } };
  }
  if (choice.disable_parallel_tool_use === true) out.parallel_tool_calls = false;
  return out;
}
