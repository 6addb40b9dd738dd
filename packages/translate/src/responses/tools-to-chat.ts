import type { FunctionTool, TextFormat, ToolChoice } from "./request-schema";

/** Responses function tools are flat; chat nests them under `function`. `strict` is kept. */
export function toolsToChat(tools: readonly FunctionTool[]) {
  return tools.map((tool) => ({
    type: "function" as const,
    function: {
      name: tool.name,
      ...(tool.description != null && { description: tool.description }),
      ...(tool.parameters != null && { parameters: tool.parameters }),
      ...(tool.strict != null && { strict: tool.strict }),
    },
  }));
}

export function toolChoiceToChat(choice: ToolChoice) {
  if (typeof choice === "string") return choice;
  return { type: "function" as const, function: { name: choice.name } };
}

/** `text.format` → chat's `response_format`; plain text is chat's default, so it sends nothing. */
export function textFormatToChat(format: TextFormat) {
  switch (format.type) {
    case "text":
      return undefined;
    case "json_object":
      return { type: "json_object" as const };
    case "json_schema":
      return {
        type: "json_schema" as const,
        json_schema: {
          name: format.name,
          schema: format.schema,
          ...(format.description !== undefined && { description: format.description }),
          ...(format.strict != null && { strict: format.strict }),
        },
      };
  }
}
