"use server";

import "server-only";
import { createClientKey, revokeClientKey } from "@429chain/db";
import { defineAction } from "../../lib/action";
import { getDb, publishConfigChanged } from "../../lib/services";
import { CreateKeyInputSchema, RevokeKeyInputSchema } from "./key-input";

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
  input: RevokeKeyInputSchema,
  run: async (session, { id }) => {
    const { record, version } = await revokeClientKey(await getDb(), id, session.user.email);
    if (version !== null) await publishConfigChanged(version);
    return record;
  },
});
