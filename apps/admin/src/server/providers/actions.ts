"use server";

import "server-only";
import type { z } from "zod";
import {
  createProviderAction,
  deleteProviderAction,
  setProviderEnabledAction,
  testConnectionAction,
  updateProviderAction,
} from "./provider-actions";
import type {
  CreateProviderInputSchema,
  DeleteProviderInputSchema,
  SetProviderEnabledInputSchema,
  TestConnectionInputSchema,
  UpdateProviderInputSchema,
} from "./provider-inputs";

// Thin "use server" entry points; the checks and bodies live in provider-actions.ts.

export async function createProvider(input: z.input<typeof CreateProviderInputSchema>) {
  return createProviderAction(input);
}

export async function updateProvider(input: z.input<typeof UpdateProviderInputSchema>) {
  return updateProviderAction(input);
}

export async function setProviderEnabled(input: z.input<typeof SetProviderEnabledInputSchema>) {
  return setProviderEnabledAction(input);
}

export async function deleteProvider(input: z.input<typeof DeleteProviderInputSchema>) {
  return deleteProviderAction(input);
}

export async function testConnection(input: z.input<typeof TestConnectionInputSchema>) {
  return testConnectionAction(input);
}
