"use server";

import "server-only";
import {
  CreateUserInputSchema,
  createUser,
  setUserDisabled,
  setUserRole,
  USER_ROLES,
} from "@429chain/db";
import { z } from "zod";
import { defineAction } from "../../lib/action";
import { getDb } from "../../lib/services";

export const createUserAction = defineAction({
  role: "admin",
  input: CreateUserInputSchema,
  run: async (session, input) => createUser(await getDb(), input, session.user.email),
});

export const setUserRoleAction = defineAction({
  role: "admin",
  input: z.object({ userId: z.uuid(), role: z.enum(USER_ROLES) }),
  run: async (session, { userId, role }) =>
    setUserRole(await getDb(), userId, role, session.user.email),
});

/** Disabling ends the user's sessions at once; the last enabled admin cannot be disabled. */
export const setUserDisabledAction = defineAction({
  role: "admin",
  input: z.object({ userId: z.uuid(), disabled: z.boolean() }),
  run: async (session, { userId, disabled }) =>
    setUserDisabled(await getDb(), userId, disabled, session.user.email),
});
