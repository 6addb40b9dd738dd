import type { UnsupportedTypeMessage } from "../describe-issue";

/** What the Responses surface says about a type it cannot serve through chat completions. */
export const responsesUnsupportedType: UnsupportedTypeMessage = (param, shown, value) => {
  if (/^tools\[\d+\]\.type$/.test(param)) {
    return `${shown}. Only function tools can be served through chat completions; built-in tools (web search, file search, code interpreter, computer use, image generation, MCP, shell…) cannot.`;
  }
  if (param === "tool_choice.type") {
    return `${shown}. tool_choice may be 'auto', 'none', 'required' or {"type": "function", "name": …}.`;
  }
  if (/^input\[\d+\]\.type$/.test(param)) {
    if (value === "item_reference") {
      return `${shown}: this gateway is stateless and stores no items; send the item itself.`;
    }
    return `${shown}. Input items may be messages, 'function_call' and 'function_call_output'.`;
  }
  return undefined;
};
