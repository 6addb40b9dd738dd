import { boundedText, MAX_MODEL_LENGTH } from "@429chain/contracts";
import { z } from "zod";
import { InputItemSchema } from "./input-item-schema";

/**
 * A `POST /v1/responses` request as this gateway serves it: statelessly, through chat
 * completions. Every object is strict: a field we cannot honour is a 400 naming it, never
 * silently dropped. `store` is accepted (nothing is stored either way), and so are the
 * harmless defaults a client may send explicitly (`background: false`, `truncation:
 * "disabled"`, an empty `include`). `previous_response_id`, `conversation` and
 * `background: true` are caught before this schema with messages that explain statelessness.
 */

/** Responses function tools are flat (`name` beside `type`), unlike chat's `function: {…}`. */
const FunctionToolSchema = z.strictObject({
  type: z.literal("function"),
  name: z.string().min(1, "must not be empty"),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const ToolChoiceSchema = z.union([
  z.enum(["auto", "none", "required"]),
  z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("function"), name: z.string().min(1, "must not be empty") }),
  ]),
]);

const TextFormatSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text") }),
  z.strictObject({ type: z.literal("json_object") }),
  z.strictObject({
    type: z.literal("json_schema"),
    name: z.string().min(1, "must not be empty"),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().nullish(),
  }),
]);

export const ResponsesRequestSchema = z.strictObject({
  model: boundedText(MAX_MODEL_LENGTH).optional(),
  input: z.union([z.string(), z.array(InputItemSchema).min(1, "must contain at least one item")]),
  instructions: z.string().nullish(),
  tools: z.array(z.discriminatedUnion("type", [FunctionToolSchema])).nullish(),
  tool_choice: ToolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  text: z.strictObject({ format: TextFormatSchema.optional() }).nullish(),
  /** Sent upstream as `reasoning_effort`; summaries are never produced, so none may be asked. */
  reasoning: z
    .strictObject({
      effort: z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"]).nullish(),
      summary: z.null({ error: "reasoning summaries are not supported" }).optional(),
      generate_summary: z.null({ error: "reasoning summaries are not supported" }).optional(),
    })
    .nullish(),
  /** OpenAI's limits: at most 16 pairs, keys ≤ 64 and values ≤ 512 characters. */
  metadata: z
    .record(z.string().max(64), z.string().max(512))
    .refine((m) => Object.keys(m).length <= 16, "must have at most 16 keys")
    .nullish(),
  user: z.string().nullish(),
  store: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  /** `include_obfuscation` pads deltas against side channels; ours carry no such padding. */
  stream_options: z.strictObject({ include_obfuscation: z.boolean().nullish() }).nullish(),
  /** No reasoning items are returned, so their encrypted content is trivially "included". */
  include: z
    .array(
      z.literal("reasoning.encrypted_content", {
        error: "is not supported: this gateway returns only messages and function calls",
      }),
    )
    .nullish(),
  truncation: z.literal("disabled", { error: "only 'disabled' is supported" }).nullish(),
  background: z.literal(false).nullish(),
  /** Non-null values are refused before the schema (`statefulParameterProblem`). */
  previous_response_id: z.null().optional(),
  conversation: z.null().optional(),
});

export type ResponsesRequest = z.infer<typeof ResponsesRequestSchema>;
export type FunctionTool = z.infer<typeof FunctionToolSchema>;
export type ToolChoice = z.infer<typeof ToolChoiceSchema>;
export type TextFormat = z.infer<typeof TextFormatSchema>;
