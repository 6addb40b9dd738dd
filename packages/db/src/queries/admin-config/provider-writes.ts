import { type ProviderConfig, ProviderConfigSchema } from "@429chain/contracts";
import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db, DbExecutor } from "../../create-db";
import { providers } from "../../schema";
import { providerColumns, providerKeyColumns } from "../import-config";
import { isRedacted, REDACTED_PROVIDER_KEY } from "../redaction";
import {
  type AdminConfigOptions,
  type ConfigDraft,
  validateDraft,
  writeConfigChange,
} from "./config-draft";
import { ConfigWriteError, invalidInput, ProviderInUseError } from "./errors";
import { chainsByProvider } from "./provider-view";

export type ProviderInput = z.input<typeof ProviderConfigSchema>;

/** Every field but the id; `apiKey` omitted, empty or a `<redacted:…>` value keeps the stored key. */
export type ProviderUpdateInput = Omit<ProviderInput, "id" | "apiKey"> & { apiKey?: string };

export interface ProviderWriteResult {
  providerId: string;
}

// Audit entries show a replaced key as such, never the key itself.
const REPLACED_KEY_MARK = "<redacted:provider-key:replaced>";

function parseProvider(input: ProviderInput, what: string): ProviderConfig {
  const parsed = ProviderConfigSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(what, parsed.error.issues);
  return parsed.data;
}

function maskedProvider(draft: ConfigDraft, id: string) {
  return draft.providers.find((p) => p.id === id);
}

function redacted(p: ProviderConfig): ProviderConfig {
  return { ...p, apiKey: REDACTED_PROVIDER_KEY };
}

export async function createProvider(
  db: Db,
  input: ProviderInput,
  options: AdminConfigOptions,
): Promise<ProviderWriteResult & { version: number }> {
  const provider = parseProvider(input, "provider");
  return writeConfigChange(db, options.actor, async (tx, draft) => {
    const index = draft.providers.length;
    const next = { ...draft, providers: [...draft.providers, redacted(provider)] };
    validateDraft(next, "provider", ["providers", index]);
    const [last] = await tx
      .select({ position: sql<number>`coalesce(max(${providers.position}), -1)` })
      .from(providers);
    await tx.insert(providers).values({
      id: provider.id,
      position: Number(last!.position) + 1,
      ...providerColumns(provider),
      ...providerKeyColumns(provider, options.masterKey),
    });
    return {
      action: "provider.create",
      target: `provider:${provider.id}`,
      after: redacted(provider),
      result: { providerId: provider.id },
    };
  });
}

export async function updateProvider(
  db: Db,
  id: string,
  input: ProviderUpdateInput,
  options: AdminConfigOptions,
): Promise<ProviderWriteResult & { version: number }> {
  const newKey = input.apiKey !== undefined && input.apiKey !== "" && !isRedacted(input.apiKey);
  const provider = parseProvider(
    { ...input, id, apiKey: newKey ? input.apiKey! : REDACTED_PROVIDER_KEY },
    `provider ${id}`,
  );
  return writeConfigChange(db, options.actor, async (tx, draft) => {
    const index = draft.providers.findIndex((p) => p.id === id);
    if (index < 0) throw new ConfigWriteError("not_found", `no provider "${id}"`);
    const next = { ...draft, providers: draft.providers.with(index, redacted(provider)) };
    validateDraft(next, `provider ${id}`, ["providers", index]);
    await tx
      .update(providers)
      .set({
        ...providerColumns(provider),
        ...(newKey ? providerKeyColumns(provider, options.masterKey) : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(providers.id, id));
    return {
      action: "provider.update",
      target: `provider:${id}`,
      before: maskedProvider(draft, id),
      after: newKey ? { ...provider, apiKey: REPLACED_KEY_MARK } : redacted(provider),
      result: { providerId: id },
    };
  });
}

export async function setProviderEnabled(
  db: Db,
  id: string,
  enabled: boolean,
  options: AdminConfigOptions,
): Promise<ProviderWriteResult & { version: number }> {
  return writeConfigChange(db, options.actor, async (tx, draft) => {
    const before = maskedProvider(draft, id);
    if (!before) throw new ConfigWriteError("not_found", `no provider "${id}"`);
    await tx.update(providers).set({ enabled, updatedAt: sql`now()` }).where(eq(providers.id, id));
    return {
      action: enabled ? "provider.enable" : "provider.disable",
      target: `provider:${id}`,
      before,
      after: { ...before, enabled },
      result: { providerId: id },
    };
  });
}

/** Refused with ProviderInUseError while any chain lists the provider. */
export async function deleteProvider(
  db: Db,
  id: string,
  options: AdminConfigOptions,
): Promise<ProviderWriteResult & { version: number }> {
  return writeConfigChange(db, options.actor, async (tx, draft) => {
    const before = maskedProvider(draft, id);
    if (!before) throw new ConfigWriteError("not_found", `no provider "${id}"`);
    await assertUnused(tx, id);
    await tx.delete(providers).where(eq(providers.id, id));
    return {
      action: "provider.delete",
      target: `provider:${id}`,
      before,
      result: { providerId: id },
    };
  });
}

async function assertUnused(tx: DbExecutor, id: string): Promise<void> {
  const usedBy = (await chainsByProvider(tx)).get(id);
  if (usedBy && usedBy.length > 0) throw new ProviderInUseError(id, usedBy);
}
