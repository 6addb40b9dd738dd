import "server-only";
import { z } from "zod";

// Only the envelope is checked here; the provider's fields are validated by @429chain/db
// with ProviderConfigSchema so the console and a config import follow the same rules.
const providerId = z.string().trim().min(1, "choose a provider");
const fields = z.record(z.string(), z.unknown());

export const CreateProviderInputSchema = fields;
export type CreateProviderInput = z.output<typeof CreateProviderInputSchema>;

export const UpdateProviderInputSchema = z.object({ id: providerId, provider: fields });
export type UpdateProviderInput = z.output<typeof UpdateProviderInputSchema>;

export const SetProviderEnabledInputSchema = z.object({ id: providerId, enabled: z.boolean() });
export type SetProviderEnabledInput = z.output<typeof SetProviderEnabledInputSchema>;

export const DeleteProviderInputSchema = z.object({ id: providerId });
export type DeleteProviderInput = z.output<typeof DeleteProviderInputSchema>;

export const TestConnectionInputSchema = z.object({
  id: providerId,
  model: z.string().trim().min(1, "name the upstream model to ask, e.g. llama-3.3-70b-versatile"),
});
export type TestConnectionInput = z.output<typeof TestConnectionInputSchema>;
