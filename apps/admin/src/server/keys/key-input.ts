import "server-only";
import { CreateClientKeyInputSchema } from "@429chain/db";
import { z } from "zod";

/** The CLI's key schema; an expiry must also lie ahead, as `keys create --expires` demands. */
export const CreateKeyInputSchema = CreateClientKeyInputSchema.extend({
  expiresAt: z
    .date()
    .refine((d) => d.getTime() > Date.now(), "must be in the future")
    .optional(),
});

export const RevokeKeyInputSchema = z.object({ id: z.uuid() });
