import { estimatePromptTokens } from "@429chain/providers";
import {
  type AnthropicMessage,
  anthropicMessageToChatCompletion,
  type ChatCompletion,
  type ChatCompletionChunk,
  chatCompletionToResponse,
  chatToAnthropicRequest,
  createAnthropicStreamDecoder,
  createResponsesStreamEncoder,
  parseResponsesRequest,
  responsesToChatRequest,
} from "@429chain/translate";
import { responsesConversationMark } from "../affinity/conversation-marks";
import { GatewayError } from "../errors";
import { openAiClientError } from "./chat-surface";
import { SSE_COMMENT_KEEPALIVE } from "./client-stream";
import type { Surface } from "./surface";

/**
 * `POST /v1/responses` (stateless): translated to chat completions for every entry (and on to
 * Anthropic Messages for an `anthropic` entry); answers and streams in the Responses shapes.
 */
export const responsesSurface: Surface = {
  name: "responses",
  chainKind: "chat",
  parse(body, ctx) {
    const parsed = parseResponsesRequest(body);
    if (!parsed.ok) {
      throw new GatewayError("invalid_request", parsed.error.message, {
        param: parsed.error.param,
      });
    }
    const req = parsed.request;
    const chat = responsesToChatRequest(req);
    const id = `resp_${ctx.request.id.replaceAll("-", "")}`;
    const createdAt = Math.floor(Date.now() / 1000);
    return {
      model: req.model,
      stream: req.stream === true,
      promptTokens: estimatePromptTokens(chat),
      maxOutputTokens: req.max_output_tokens ?? undefined,
      conversation: () => responsesConversationMark(req),
      callFor(entry) {
        if (entry.adapter.wire === "chat") return { op: "chat", body: chat };
        const translated = chatToAnthropicRequest(chat, { model: entry.model });
        if (!translated.ok) return { unsupported: translated.unsupported };
        return { op: "messages", body: translated.request as unknown as Record<string, unknown> };
      },
      encodeJson(answer, entry) {
        const completion =
          answer.wire === "chat"
            ? (answer.json as unknown as ChatCompletion)
            : anthropicMessageToChatCompletion(answer.json as unknown as AnthropicMessage, {
                model: entry.model,
              });
        return JSON.stringify(chatCompletionToResponse(completion, req, { id, createdAt }));
      },
      streamEncoder(entry) {
        const encoder = createResponsesStreamEncoder(req, { id, createdAt });
        const decoder =
          entry.adapter.wire === "anthropic"
            ? createAnthropicStreamDecoder({ model: entry.model })
            : undefined;
        return {
          push: (item) =>
            (decoder
              ? decoder.push(item.event, item.json)
              : [item.json as unknown as ChatCompletionChunk]
            ).flatMap((c) => encoder.push(c)),
          end: () => encoder.end(),
          fail: (message) => encoder.fail(message),
          keepAlive: () => SSE_COMMENT_KEEPALIVE,
        };
      },
      // Upstream client errors leave in OpenAI's shape, as for chat.
      clientError: openAiClientError,
    };
  },
};
