/** Reading client-sent content defensively: bodies are JSON from the network, not typed values. */

export type LooseBlock = { type: string; [key: string]: unknown };

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The blocks of a `content` field: a string is one text block, anything malformed none. */
export function contentBlocks(content: unknown): LooseBlock[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  if (!Array.isArray(content)) return [];
  return content.filter(
    (block): block is LooseBlock => isRecord(block) && typeof block.type === "string",
  );
}

export const textOf = (block: LooseBlock): string =>
  typeof block.text === "string" ? block.text : "";

/** `system` (a string or text blocks) as one text; blocks are separate paragraphs. */
export function systemText(system: unknown): string {
  if (typeof system === "string") return system;
  return contentBlocks(system)
    .filter((block) => block.type === "text")
    .map(textOf)
    .filter((text) => text !== "")
    .join("\n\n");
}
