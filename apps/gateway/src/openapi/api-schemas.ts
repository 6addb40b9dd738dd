import { EntryStateSchema } from "@429chain/contracts";
import { z } from "zod";

// Shapes the gateway answers with that no other module validates: written here for the
// OpenAPI document only. Bodies the gateway parses come from the schemas that parse them.

const anthropicMessage = z.looseObject({
  role: z.enum(["user", "assistant", "system"]),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]),
});

/** What /v1/messages checks before translating (packages/translate parse-request.ts). */
export const AnthropicMessagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().min(0),
  messages: z.array(anthropicMessage).min(1),
  system: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
  stream: z.boolean().optional(),
  tools: z.array(z.looseObject({})).optional(),
  stop_sequences: z.array(z.string()).optional(),
});

export const CountTokensRequestSchema = AnthropicMessagesRequestSchema.partial({
  max_tokens: true,
});

export const CountTokensResponseSchema = z.object({ input_tokens: z.number().int() });

export const AnthropicErrorSchema = z.object({
  type: z.literal("error"),
  error: z.object({ type: z.string(), message: z.string() }),
  request_id: z.string().optional(),
});

export const HealthSchema = z.object({
  status: z.literal("ok"),
  version: z.string(),
  uptime: z.number().int(),
  providers: z.number().int(),
  chains: z.number().int(),
  replica: z.string(),
  worker: z.number().int().optional(),
});

export const ReadySchema = z.object({
  status: z.enum(["ready", "degraded", "shutting_down"]),
  configVersion: z.number().int(),
  configSource: z.enum(["ok", "degraded"]),
  stateStore: z.enum(["ok", "degraded"]),
  replica: z.string(),
});

export const ModelListSchema = z.object({
  object: z.literal("list"),
  data: z.array(
    z.object({
      id: z.string(),
      object: z.literal("model"),
      created: z.number().int(),
      owned_by: z.string(),
      kind: z.enum(["chat", "embeddings"]).optional(),
      dimensions: z.number().int().optional(),
      entries: z.array(z.string()).optional(),
    }),
  ),
});

export const RateLimitsSchema = z.object({
  object: z.literal("list"),
  stateStore: z.enum(["ok", "degraded"]),
  data: z.array(EntryStateSchema),
  chains: z.array(
    z.object({
      name: z.string(),
      activeEntry: z.string().nullable(),
      entries: z.array(z.string()),
    }),
  ),
});
