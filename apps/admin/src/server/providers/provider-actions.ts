"use server";

import "server-only";
import { defineAction } from "../../lib/action";
import { configDeps } from "../config/config-write";
import {
  CreateProviderInputSchema,
  createProviderBody,
  DeleteProviderInputSchema,
  deleteProviderBody,
  SetProviderEnabledInputSchema,
  setProviderEnabledBody,
  TestConnectionInputSchema,
  testConnectionBody,
  UpdateProviderInputSchema,
  updateProviderBody,
} from "./provider-bodies";

// The console's provider actions: role, input check and body; the bodies take their deps.

export const createProviderAction = defineAction({
  role: "admin",
  input: CreateProviderInputSchema,
  run: async (session, input) => createProviderBody(await configDeps(), session, input),
});

export const updateProviderAction = defineAction({
  role: "admin",
  input: UpdateProviderInputSchema,
  run: async (session, input) => updateProviderBody(await configDeps(), session, input),
});

export const setProviderEnabledAction = defineAction({
  role: "admin",
  input: SetProviderEnabledInputSchema,
  run: async (session, input) => setProviderEnabledBody(await configDeps(), session, input),
});

export const deleteProviderAction = defineAction({
  role: "admin",
  input: DeleteProviderInputSchema,
  run: async (session, input) => deleteProviderBody(await configDeps(), session, input),
});

export const testConnectionAction = defineAction({
  role: "admin",
  input: TestConnectionInputSchema,
  run: async (_session, input) => testConnectionBody(await configDeps(), input),
});
