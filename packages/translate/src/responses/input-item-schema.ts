import { z } from "zod";

/**
 * The input items a stateless gateway can replay through chat completions: messages,
 * `function_call` and `function_call_output`. Objects are strict so an unknown field is a 400
 * naming it, never silently dropped. `id`, `status`, `phase`, `annotations`, `logprobs`,
 * `parsed` and `parsed_arguments` are accepted and ignored: they describe an earlier answer
 * (a client replays `response.output` as input, and the `openai` SDK's parsed helpers add
 * `parsed`/`parsed_arguments`), they ask nothing of the model.
 */

const ItemStatusSchema = z.enum(["in_progress", "completed", "incomplete"]).nullish();

const InputTextPartSchema = z.strictObject({
  type: z.literal("input_text"),
  text: z.string(),
});

/** `file_id` is left out on purpose: it names a file stored at OpenAI. */
const InputImagePartSchema = z.strictObject({
  type: z.literal("input_image"),
  image_url: z.string().min(1, "must be an image URL or a data URL"),
  detail: z.enum(["low", "high", "auto"]).nullish(),
});

const OutputTextPartSchema = z.strictObject({
  type: z.literal("output_text"),
  text: z.string(),
  annotations: z.array(z.unknown()).optional(),
  logprobs: z.array(z.unknown()).nullish(),
  parsed: z.unknown().optional(),
});

const RefusalPartSchema = z.strictObject({
  type: z.literal("refusal"),
  refusal: z.string(),
});

const MessageContentPartSchema = z.discriminatedUnion("type", [
  InputTextPartSchema,
  InputImagePartSchema,
  OutputTextPartSchema,
  RefusalPartSchema,
]);

const MessageItemSchema = z.strictObject({
  type: z.literal("message").optional(),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([z.string(), z.array(MessageContentPartSchema)]),
  id: z.string().nullish(),
  status: ItemStatusSchema,
  phase: z.enum(["commentary", "final_answer"]).nullish(),
});

const FunctionCallItemSchema = z.strictObject({
  type: z.literal("function_call"),
  call_id: z.string().min(1, "must not be empty"),
  name: z.string().min(1, "must not be empty"),
  arguments: z.string(),
  id: z.string().nullish(),
  status: ItemStatusSchema,
  parsed_arguments: z.unknown().optional(),
});

/** Chat tool messages carry text only, so the output's parts are text parts. */
const FunctionCallOutputItemSchema = z.strictObject({
  type: z.literal("function_call_output"),
  call_id: z.string().min(1, "must not be empty"),
  output: z.union([z.string(), z.array(InputTextPartSchema)]),
  id: z.string().nullish(),
  status: ItemStatusSchema,
});

export const InputItemSchema = z.discriminatedUnion("type", [
  MessageItemSchema,
  FunctionCallItemSchema,
  FunctionCallOutputItemSchema,
]);

export type MessageContentPart = z.infer<typeof MessageContentPartSchema>;
export type MessageItem = z.infer<typeof MessageItemSchema>;
export type InputItem = z.infer<typeof InputItemSchema>;
