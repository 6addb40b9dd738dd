import { isRecord } from "./blocks";
import type { AnthropicMessagesRequest } from "./types";

/**
 * The client asked to see reasoning: thinking `enabled` or `adaptive`, not with `display:
 * "omitted"`. Decides `includeReasoning` when another upstream answers.
 */
export function wantsThinking(request: AnthropicMessagesRequest): boolean {
  const thinking = request.thinking as unknown;
  if (!isRecord(thinking)) return false;
  if (thinking.type !== "enabled" && thinking.type !== "adaptive") return false;
  return thinking.display !== "omitted";
}
