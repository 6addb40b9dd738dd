import { type ProviderConfig, ProviderConfigSchema } from "@429chain/contracts";
import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db, DbExecutor } from "../../create-db";
import { providers } from "../../schema";
import type { MasterKey } from "../../secrets/master-key";
import { providerColumns, providerHeaderColumns, providerKeyColumns } from "../provider-columns";
import { decryptedHeaders, redactHeaders, resolveRedactedHeaders } from "../provider-headers";
import { isRedacted, REDACTED_PROVIDER_HEADER, REDACTED_PROVIDER_KEY } from "../redaction";
import {
  type AdminConfigOptions,
  type ConfigDraft,
  validateDraft,
  writeConfigChange,
} from "./config-draft";
import { ConfigWriteError, invalidInput, ProviderInUseError } from "./errors";
import { chainsByProvider } from "./provider-view";

export type ProviderInput = z.input<typeof ProviderConfigSchema>;

/**
 * Every field but the id; `apiKey` omitted, empty or a `<redacted:…>` value keeps the stored
 * key, and a credential header whose value is `<redacted:…>` keeps its stored value.
 */
export type ProviderUpdateInput = Omit<ProviderInput, "id" | "apiKey"> & { apiKey?: string };

interface ProviderWriteResult {
  providerId: string;
}

// Audit entries show a replaced key or credential header as such, never its value.
const REPLACED_KEY_MARK = "<redacted:provider-key:replaced>";
const REPLACED_HEADER_MARK = "<redacted:provider-header:replaced>";

type ProviderRow = typeof providers.$inferSelect;

function parseProvider(input: ProviderInput, what: string): ProviderConfig {
  const parsed = ProviderConfigSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(what, parsed.error.issues);
  return parsed.data;
}

function maskedProvider(draft: ConfigDraft, id: string) {
  return draft.providers.find((p) => p.id === id);
}

function redacted(p: ProviderConfig): ProviderConfig {
  return { ...p, apiKey: REDACTED_PROVIDER_KEY, headers: redactHeaders(p.headers) };
}

/**
 * `provider` with the stored value back in every header given as a placeholder (a credential
 * the form left as it was); a placeholder with nothing stored is refused.
 */
function withKeptHeaders(
  provider: ProviderConfig,
  stored: ProviderRow | undefined,
  key: MasterKey,
  what: string,
): ProviderConfig {
  if (!Object.values(provider.headers ?? {}).some(isRedacted)) return provider;
  const kept = resolveRedactedHeaders(provider.headers, stored && decryptedHeaders(stored, key));
  if (kept.missing.length > 0) {
    const issues = kept.missing.map((name) => ({
      path: `headers.${name}`,
      message: "has no stored value to keep: enter one",
    }));
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
    throw new ConfigWriteError("invalid", `${what} is invalid: ${summary}`, issues);
  }
  return { ...provider, headers: kept.headers };
}

export async function createProvider(
  db: Db,
  input: ProviderInput,
  options: AdminConfigOptions,
): Promise<ProviderWriteResult & { version: number }> {
  const provider = withKeptHeaders(
    parseProvider(input, "provider"),
    undefined,
    options.masterKey,
    "provider",
  );
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
      ...providerHeaderColumns(provider, options.masterKey),
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
  const parsed = parseProvider(
    { ...input, id, apiKey: newKey ? input.apiKey! : REDACTED_PROVIDER_KEY },
    `provider ${id}`,
  );
  return writeConfigChange(db, options.actor, async (tx, draft) => {
    const index = draft.providers.findIndex((p) => p.id === id);
    if (index < 0) throw new ConfigWriteError("not_found", `no provider "${id}"`);
    const stored = draft.rows.providers.find((p) => p.id === id);
    const provider = withKeptHeaders(parsed, stored, options.masterKey, `provider ${id}`);
    const next = { ...draft, providers: draft.providers.with(index, redacted(provider)) };
    validateDraft(next, `provider ${id}`, ["providers", index]);
    await tx
      .update(providers)
      .set({
        ...providerColumns(provider),
        ...providerHeaderColumns(provider, options.masterKey),
        ...(newKey ? providerKeyColumns(provider, options.masterKey) : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(providers.id, id));
    return {
      action: "provider.update",
      target: `provider:${id}`,
      before: maskedProvider(draft, id),
      after: {
        ...provider,
        apiKey: newKey ? REPLACED_KEY_MARK : REDACTED_PROVIDER_KEY,
        headers: redactHeaders(provider.headers, (name) =>
          isRedacted(parsed.headers?.[name] ?? "")
            ? REDACTED_PROVIDER_HEADER
            : REPLACED_HEADER_MARK,
        ),
      },
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
