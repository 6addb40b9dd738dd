import { errorTypeFor } from "@429chain/contracts";
import { estimatePromptTokens, type UpstreamWire } from "@429chain/providers";
import {
  type AnthropicMessage,
  anthropicMessageToChatCompletion,
  type ChatCompletionChunk,
  chatToAnthropicRequest,
  createAnthropicStreamDecoder,
} from "@429chain/translate";
import { chatConversationMark } from "../affinity/conversation-marks";
import { parseChatRequest } from "../routes/parse-chat-request";
import { normalizeChoices } from "../waterfall/normalize";
import { createChatFrames } from "./chat-frames";
import { SSE_COMMENT_KEEPALIVE } from "./client-stream";
import type { Surface } from "./surface";
import { upstreamErrorMessage } from "./upstream-error-message";

/** `POST /v1/chat/completions`: OpenAI chat; an `anthropic` entry is served by translation. */
export const chatSurface: Surface = {
  name: "chat",
  chainKind: "chat",
  parse(body, { settings }) {
    const chat = parseChatRequest(body);
    const stream = chat.stream === true;
    const frames = () =>
      createChatFrames({
        clientWantsUsage: chat.stream_options?.include_usage === true,
        normalize: settings.normalizeResponses,
      });
    return {
      model: chat.model,
      stream,
      promptTokens: estimatePromptTokens(chat),
      maxOutputTokens: chat.max_completion_tokens ?? chat.max_tokens ?? undefined,
      conversation: () => chatConversationMark(chat),
      callFor(entry) {
        if (entry.adapter.wire === "chat") return { op: "chat", body: chat };
        const translated = chatToAnthropicRequest(chat, { model: entry.model });
        if (!translated.ok) return { unsupported: translated.unsupported };
        return { op: "messages", body: translated.request as unknown as Record<string, unknown> };
      },
      encodeJson(answer, entry) {
        if (answer.wire === "chat") {
          const changed = settings.normalizeResponses && normalizeChoices(answer.json);
          return changed ? JSON.stringify(answer.json) : answer.text;
        }
        const completion = anthropicMessageToChatCompletion(
          answer.json as unknown as AnthropicMessage,
          { model: entry.model },
        );
        return JSON.stringify(completion);
      },
      streamEncoder(entry) {
        const out = frames();
        if (entry.adapter.wire === "chat") {
          return {
            push: (item) => out.relay(item.json, item.data),
            end: () => out.end(),
            fail: (message) => out.fail(message),
            keepAlive: () => SSE_COMMENT_KEEPALIVE,
          };
        }
        const decoder = createAnthropicStreamDecoder({ model: entry.model });
        return {
          push: (item) =>
            decoder.push(item.event, item.json).flatMap((c: ChatCompletionChunk) => out.push(c)),
          end: () => out.end(),
          fail: (message) => out.fail(message),
          keepAlive: () => SSE_COMMENT_KEEPALIVE,
        };
      },
      clientError: openAiClientError,
    };
  },
};

/** An upstream 4xx for an OpenAI-shaped client: as sent by a chat upstream, else re-wrapped. */
export function openAiClientError(
  wire: UpstreamWire,
  text: string,
  contentType: string | undefined,
  status: number,
): { body: string; contentType: string } {
  if (wire === "chat") return { body: text, contentType: contentType ?? "application/json" };
  const message = upstreamErrorMessage(text, status);
  const error = { message, type: errorTypeFor(status), param: null, code: null };
  return { body: JSON.stringify({ error }), contentType: "application/json" };
}
