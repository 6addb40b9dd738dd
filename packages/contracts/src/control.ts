import { z } from "zod";
import { EntryStateSchema } from "./entry-state";

/**
 * The gateway's control API (CONTROL_TOKEN): what the admin reads from a gateway whose quota
 * state lives in its own memory (no Redis), and the cooldown clear it asks for.
 */

/** One entry's live state, with its label and the chains that use it. */
export const ControlEntrySchema = EntryStateSchema.extend({
  /** `provider-id/model`. */
  label: z.string(),
  chains: z.array(z.string()),
});
export type ControlEntry = z.infer<typeof ControlEntrySchema>;

/** GET /control/entry-states: every entry of the gateway's config, in first-seen order. */
export const ControlEntryStatesSchema = z.object({
  object: z.literal("list"),
  at: z.number(),
  configVersion: z.number(),
  stateStore: z.enum(["ok", "degraded"]),
  data: z.array(ControlEntrySchema),
});
export type ControlEntryStates = z.infer<typeof ControlEntryStatesSchema>;

/** POST /control/clear-cooldown: one entry, or without `model` every entry of the provider. */
export const ClearCooldownRequestSchema = z.object({
  provider: z.string().min(1),
  model: z.string().min(1).optional(),
});
export type ClearCooldownRequest = z.infer<typeof ClearCooldownRequestSchema>;

/** … answered with the cleared entries' states afterwards. */
export const ClearCooldownResponseSchema = z.object({
  object: z.literal("list"),
  data: z.array(ControlEntrySchema),
});
