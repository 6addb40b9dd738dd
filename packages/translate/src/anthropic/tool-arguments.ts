/**
 * Tool-call arguments (a JSON string in the chat shape) as an Anthropic `input` object. Models
 * on OpenAI-compatible servers sometimes emit arguments that are not a JSON object; Anthropic
 * needs an object, and dropping the text would hide from the model (and the client) what was
 * actually produced, so such arguments are kept verbatim as `{"_raw": "<arguments>"}`. Empty
 * arguments are a call without parameters: `{}`.
 */
export function parseToolArguments(args: string | undefined | null): Record<string, unknown> {
  if (args === undefined || args === null || args.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(args);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // not JSON: kept raw below
  }
  return { _raw: args };
}

/** An Anthropic tool input as chat arguments; `{"_raw": …}` from `parseToolArguments` goes back as it came. */
export function stringifyToolInput(input: unknown): string {
  if (input === undefined || input === null) return "{}";
  if (typeof input === "object" && !Array.isArray(input)) {
    const keys = Object.keys(input);
    const raw = (input as Record<string, unknown>)._raw;
    if (keys.length === 1 && typeof raw === "string") return raw;
  }
  return JSON.stringify(input);
}
