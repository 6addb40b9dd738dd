import { estimatePromptTokens } from "@429chain/providers";
import {
  type AnthropicMessagesRequest,
  anthropicErrorBody,
  anthropicMessageId,
  anthropicPingFrame,
  anthropicToChatRequest,
  type ChatCompletion,
  type ChatCompletionChunk,
  chatCompletionToAnthropicMessage,
  createAnthropicStreamEncoder,
  estimateAnthropicInputTokens,
  parseAnthropicRequest,
  prepareNativeAnthropicRequest,
  wantsThinking,
} from "@429chain/translate";
import { messagesConversationMark } from "../affinity/conversation-marks";
import { GatewayError } from "../errors";
import type { Surface } from "./surface";
import { upstreamErrorMessage } from "./upstream-error-message";

/**
 * `POST /v1/messages`: the Anthropic Messages API. An `anthropic` entry gets the body as sent
 * (model replaced, thinking blocks that did not come from Anthropic dropped); every other
 * entry a chat translation, or is skipped when the request needs what only Anthropic has.
 */
export const messagesSurface: Surface = {
  name: "messages",
  chainKind: "chat",
  parse(body, { request }) {
    const parsed = parseAnthropicRequest(body);
    if (!parsed.ok) throw new GatewayError("invalid_request", parsed.message);
    const req: AnthropicMessagesRequest = parsed.request;
    const chat = anthropicToChatRequest(req);
    const includeReasoning = wantsThinking(req);
    const promptTokens = estimateAnthropicInputTokens(req, estimatePromptTokens);
    const messageId = anthropicMessageId(request.id);
    return {
      model: typeof req.model === "string" ? req.model : undefined,
      stream: req.stream === true,
      promptTokens,
      maxOutputTokens: req.max_tokens,
      conversation: () => messagesConversationMark(req),
      callFor(entry) {
        if (entry.adapter.wire === "anthropic") {
          const native = prepareNativeAnthropicRequest(req, entry.model);
          for (const note of native.notes) request.log.debug({ entry: entry.label }, note);
          return {
            op: "messages",
            body: native.body as unknown as Record<string, unknown>,
            clientHeaders: request.headers,
          };
        }
        if (!chat.ok) return { unsupported: chat.unsupported };
        return { op: "chat", body: chat.request };
      },
      encodeJson(answer, entry) {
        if (answer.wire === "anthropic") return answer.text;
        const message = chatCompletionToAnthropicMessage(answer.json as unknown as ChatCompletion, {
          model: entry.model,
          includeReasoning,
          id: messageId,
          estimatedInputTokens: promptTokens,
        });
        return JSON.stringify(message);
      },
      streamEncoder(entry) {
        if (entry.adapter.wire === "anthropic") {
          return {
            push: (item) => [`event: ${item.event ?? "message"}\ndata: ${item.data}\n\n`],
            end: (done) =>
              done.event === undefined
                ? []
                : [`event: ${done.event}\ndata: ${done.data ?? ""}\n\n`],
            fail: (message) => [anthropicErrorFrame(message)],
            keepAlive: anthropicPingFrame,
          };
        }
        const encoder = createAnthropicStreamEncoder({
          messageId,
          model: entry.model,
          inputTokens: promptTokens,
          includeReasoning,
        });
        return {
          push: (item) => encoder.push(item.json as unknown as ChatCompletionChunk),
          end: () => encoder.end(),
          fail: (message) => encoder.fail(message),
          keepAlive: anthropicPingFrame,
        };
      },
      clientError(wire, text, contentType, status) {
        if (wire === "anthropic") {
          return { body: text, contentType: contentType ?? "application/json" };
        }
        const envelope = anthropicErrorBody(status, upstreamErrorMessage(text, status));
        return { body: JSON.stringify(envelope), contentType: "application/json" };
      },
    };
  },
};

function anthropicErrorFrame(message: string): string {
  const body = anthropicErrorBody(500, `The upstream stream failed after it started: ${message}`);
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}
