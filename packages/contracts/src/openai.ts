import { z } from "zod";
import { boundedText, MAX_MODEL_LENGTH } from "./text";

const ContentPartSchema = z.looseObject({ type: z.string() });

const ChatMessageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(ContentPartSchema), z.null()]).optional(),
  name: z.string().optional(),
});

/**
 * An OpenAI chat completion request. Only what the gateway reads is checked; every other
 * parameter passes through to the upstream untouched.
 */
export const ChatCompletionRequestSchema = z.looseObject({
  /** A chain name, `provider-id/model`, or anything else (→ settings.unknownModel). */
  model: boundedText(MAX_MODEL_LENGTH).optional(),
  messages: z.array(ChatMessageSchema).min(1, "must contain at least one message"),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  n: z.number().int().positive().nullish(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;
export type ChatMessage = z.infer<typeof ChatMessageSchema>;
