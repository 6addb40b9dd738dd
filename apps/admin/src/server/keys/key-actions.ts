"use server";

import "server-only";
import { CreateClientKeyInputSchema, createClientKey, revokeClientKey } from "@429chain/db";
import { z } from "zod";
import { defineAction } from "../../lib/action";
import { getDb, publishConfigChanged } from "../../lib/services";

/** The CLI's key schema; an expiry must also lie ahead, as `keys create --expires` demands. */
const CreateKeyInputSchema = CreateClientKeyInputSchema.extend({
  expiresAt: z
    .date()
    .refine((d) => d.getTime() > Date.now(), "must be in the future")
    .optional(),
});

/** Returns the plaintext key: the only time it exists outside the client that uses it. */
export const createKeyAction = defineAction({
  role: "admin",
  input: CreateKeyInputSchema,
  run: async (session, input) => {
    const { key, record, version } = await createClientKey(
      await getDb(),
      input,
      session.user.email,
    );
    await publishConfigChanged(version);
    return { key, record };
  },
});

export const revokeKeyAction = defineAction({
  role: "admin",
  input: z.object({ id: z.uuid() }),
  run: async (session, { id }) => {
    const { record, version } = await revokeClientKey(await getDb(), id, session.user.email);
    if (version !== null) await publishConfigChanged(version);
    return record;
  },
});
