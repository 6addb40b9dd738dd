import "server-only";
import {
  ConfigWriteError,
  createProvider,
  deleteProvider,
  type ProviderInput,
  type ProviderUpdateInput,
  readProviderConfig,
  SecretDecryptError,
  setProviderEnabled,
  updateProvider,
} from "@429chain/db";
import { z } from "zod";
import type { Session } from "../../lib/auth";
import { ActionError } from "../../lib/errors";
import { type ConfigDeps, toActionError, writeConfig, writeOptions } from "../config/config-write";
import { type ConnectionTestResult, testProviderConnection } from "./test-connection";

// Only the envelope is checked here; the provider's fields are validated by @429chain/db
// with ProviderConfigSchema so the console and a config import follow the same rules.
const providerId = z.string().trim().min(1, "choose a provider");
const fields = z.record(z.string(), z.unknown());

export const CreateProviderInputSchema = fields;
type CreateProviderInput = z.output<typeof CreateProviderInputSchema>;

export const UpdateProviderInputSchema = z.object({ id: providerId, provider: fields });
type UpdateProviderInput = z.output<typeof UpdateProviderInputSchema>;

export const SetProviderEnabledInputSchema = z.object({ id: providerId, enabled: z.boolean() });
type SetProviderEnabledInput = z.output<typeof SetProviderEnabledInputSchema>;

export const DeleteProviderInputSchema = z.object({ id: providerId });
type DeleteProviderInput = z.output<typeof DeleteProviderInputSchema>;

export const TestConnectionInputSchema = z.object({
  id: providerId,
  model: z.string().trim().min(1, "name the upstream model to ask, e.g. llama-3.3-70b-versatile"),
});
type TestConnectionInput = z.output<typeof TestConnectionInputSchema>;

// The action bodies: plain functions of the dependencies, the caller and the parsed input.
// Field values are checked by @429chain/db with the config schema, as a file import would be.

export function createProviderBody(deps: ConfigDeps, session: Session, input: CreateProviderInput) {
  return writeConfig(deps, () =>
    createProvider(deps.db, input as ProviderInput, writeOptions(deps, session)),
  );
}

export function updateProviderBody(deps: ConfigDeps, session: Session, input: UpdateProviderInput) {
  return writeConfig(deps, () =>
    updateProvider(
      deps.db,
      input.id,
      input.provider as ProviderUpdateInput,
      writeOptions(deps, session),
    ),
  );
}

export function setProviderEnabledBody(
  deps: ConfigDeps,
  session: Session,
  input: SetProviderEnabledInput,
) {
  return writeConfig(deps, () =>
    setProviderEnabled(deps.db, input.id, input.enabled, writeOptions(deps, session)),
  );
}

export function deleteProviderBody(deps: ConfigDeps, session: Session, input: DeleteProviderInput) {
  return writeConfig(deps, () => deleteProvider(deps.db, input.id, writeOptions(deps, session)));
}

/** Admin only: it spends a request of the provider's quota with the stored key. */
export async function testConnectionBody(
  deps: ConfigDeps,
  input: TestConnectionInput,
  timeoutMs?: number,
): Promise<ConnectionTestResult> {
  let provider: Awaited<ReturnType<typeof readProviderConfig>>;
  try {
    provider = await readProviderConfig(deps.db, input.id, { masterKey: deps.masterKey });
  } catch (err) {
    if (err instanceof ConfigWriteError) throw toActionError(err);
    if (err instanceof SecretDecryptError) {
      throw new ActionError(409, `the stored key of provider ${input.id}: ${err.message}`);
    }
    throw err;
  }
  return testProviderConnection(provider, { model: input.model, timeoutMs });
}
