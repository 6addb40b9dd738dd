"use server";

import "server-only";
import { defineAction } from "../../lib/action";
import { configDeps } from "../config/config-write";
import {
  ChainEntriesInputSchema,
  ChainNameInputSchema,
  createChainBody,
  deleteChainBody,
  setDefaultChainBody,
  updateChainBody,
} from "./chain-bodies";

// The console's chain actions: role, input check and body; the bodies take their deps.

export const createChainAction = defineAction({
  role: "admin",
  input: ChainEntriesInputSchema,
  run: async (session, input) => createChainBody(await configDeps(), session, input),
});

export const updateChainAction = defineAction({
  role: "admin",
  input: ChainEntriesInputSchema,
  run: async (session, input) => updateChainBody(await configDeps(), session, input),
});

export const deleteChainAction = defineAction({
  role: "admin",
  input: ChainNameInputSchema,
  run: async (session, input) => deleteChainBody(await configDeps(), session, input),
});

export const setDefaultChainAction = defineAction({
  role: "admin",
  input: ChainNameInputSchema,
  run: async (session, input) => setDefaultChainBody(await configDeps(), session, input),
});
