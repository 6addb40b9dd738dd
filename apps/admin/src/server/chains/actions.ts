"use server";

import "server-only";
import type { z } from "zod";
import {
  createChainAction,
  deleteChainAction,
  setDefaultChainAction,
  updateChainAction,
} from "./chain-actions";
import type { ChainEntriesInputSchema, ChainNameInputSchema } from "./chain-inputs";

// Thin "use server" entry points; the checks and bodies live in chain-actions.ts.

export async function createChain(input: z.input<typeof ChainEntriesInputSchema>) {
  return createChainAction(input);
}

export async function updateChain(input: z.input<typeof ChainEntriesInputSchema>) {
  return updateChainAction(input);
}

export async function deleteChain(input: z.input<typeof ChainNameInputSchema>) {
  return deleteChainAction(input);
}

export async function setDefaultChain(input: z.input<typeof ChainNameInputSchema>) {
  return setDefaultChainAction(input);
}
