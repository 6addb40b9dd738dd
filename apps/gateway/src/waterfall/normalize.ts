/**
 * v1 `normalizeResponses`: some reasoning models answer only in `reasoning_content`; move it
 * into `content` when content is empty. Mutates the parsed message or delta in place.
 */
export function moveReasoningIntoContent(target: Record<string, unknown> | undefined): boolean {
  if (!target) return false;
  const reasoning = target.reasoning_content;
  const content = target.content;
  if (typeof reasoning !== "string" || reasoning === "") return false;
  if (typeof content === "string" && content !== "") return false;
  target.content = reasoning;
  delete target.reasoning_content;
  return true;
}

interface ChoiceLike {
  message?: Record<string, unknown>;
  delta?: Record<string, unknown>;
}

export function normalizeChoices(json: Record<string, unknown>): boolean {
  const choices = json.choices;
  if (!Array.isArray(choices)) return false;
  let changed = false;
  for (const c of choices as ChoiceLike[]) {
    changed = moveReasoningIntoContent(c.message) || changed;
    changed = moveReasoningIntoContent(c.delta) || changed;
  }
  return changed;
}
