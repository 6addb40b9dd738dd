import { type Config, ConfigSchema } from "@429chain/contracts";
import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Db, DbExecutor } from "../create-db";
import { chainEntries, chains, clientApiKeys, providers, settings } from "../schema";
import { displayPrefixOf, hashClientKey } from "../secrets/client-key";
import { encryptSecret } from "../secrets/encrypt-secret";
import type { MasterKey } from "../secrets/master-key";
import { clientKeySecretContext } from "../secrets/secret-context";
import { writeAudit } from "./audit";
import { chainColumns, chainEntryRows } from "./chain-columns";
import { bumpConfigVersion } from "./config-version";
import { ConfigImportError, formatZodIssues } from "./errors";
import { maskedConfig } from "./export-config";
import { providerColumns, providerHeaderColumns, providerKeyColumns } from "./provider-columns";
import { readConfigRows } from "./read-config-rows";
import { resolveRedactedSecrets } from "./resolve-redacted";

export interface ImportOptions {
  masterKey: MasterKey;
  actor: string;
}

/**
 * Replaces providers, chains, settings and the v1 file's client keys with `config`, in one
 * transaction: all or nothing. Keys issued by `createClientKey` are left alone. Returns the
 * new config version.
 */
export async function importConfig(db: Db, input: Config, options: ImportOptions): Promise<number> {
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigImportError(formatZodIssues(parsed.error.issues));
  return db.transaction(async (tx) => {
    const version = await bumpConfigVersion(tx);
    const before = await readConfigRows(tx);
    const config = resolveRedactedSecrets(parsed.data, before, options.masterKey);
    const { apiKeys, ...storedSettings } = config.settings;
    await tx
      .insert(settings)
      .values({ id: true, data: storedSettings })
      .onConflictDoUpdate({
        target: settings.id,
        set: { data: storedSettings, updatedAt: sql`now()` },
      });
    await replaceChainsAndProviders(tx, config, options.masterKey);
    await replaceConfigKeys(tx, apiKeys, options.masterKey);
    await writeAudit(tx, {
      actor: options.actor,
      action: "config.import",
      target: "config",
      configVersion: version,
      before: maskedConfig(before),
      after: maskedConfig(await readConfigRows(tx)),
    });
    return version;
  });
}

async function replaceChainsAndProviders(tx: DbExecutor, config: Config, key: MasterKey) {
  const chainNames = config.chains.map((c) => c.name);
  const providerIds = config.providers.map((p) => p.id);
  // Entries go first so providers that leave the config are no longer referenced.
  await tx.delete(chainEntries);
  await tx.delete(chains).where(notInArray(chains.name, chainNames));
  await tx.delete(providers).where(notInArray(providers.id, providerIds));
  for (const [position, p] of config.providers.entries()) {
    const values = {
      position,
      ...providerColumns(p),
      ...providerKeyColumns(p, key),
      ...providerHeaderColumns(p, key),
    };
    await tx
      .insert(providers)
      .values({ id: p.id, ...values })
      .onConflictDoUpdate({ target: providers.id, set: { ...values, updatedAt: sql`now()` } });
  }
  for (const [position, c] of config.chains.entries()) {
    const values = { position, ...chainColumns(c) };
    await tx
      .insert(chains)
      .values({ name: c.name, ...values })
      .onConflictDoUpdate({ target: chains.name, set: { ...values, updatedAt: sql`now()` } });
  }
  const entries = config.chains.flatMap(chainEntryRows);
  if (entries.length > 0) await tx.insert(chainEntries).values(entries);
}

/**
 * Syncs settings.apiKeys: a key already stored keeps its row (id, revocation, last use);
 * keys no longer listed are deleted. A listed key equal to an issued key violates the
 * unique hash and fails the whole import.
 */
async function replaceConfigKeys(tx: DbExecutor, apiKeys: string[], key: MasterKey) {
  const unique = [...new Set(apiKeys)];
  const hashes = unique.map(hashClientKey);
  const isConfig = eq(clientApiKeys.source, "config");
  await tx.delete(clientApiKeys).where(and(isConfig, notInArray(clientApiKeys.keyHash, hashes)));
  const kept = await tx
    .select({ hash: clientApiKeys.keyHash })
    .from(clientApiKeys)
    .where(and(isConfig, inArray(clientApiKeys.keyHash, hashes)));
  const keptHashes = new Set(kept.map((k) => k.hash));
  for (const [position, plaintext] of unique.entries()) {
    const hash = hashes[position]!;
    const values = {
      name: `settings.apiKeys[${position}]`,
      configPosition: position,
      secretCiphertext: encryptSecret(plaintext, key, clientKeySecretContext(hash)),
      secretKeyId: key.id,
    };
    if (keptHashes.has(hash)) {
      await tx.update(clientApiKeys).set(values).where(eq(clientApiKeys.keyHash, hash));
    } else {
      await tx.insert(clientApiKeys).values({
        ...values,
        keyHash: hash,
        displayPrefix: displayPrefixOf(plaintext),
        source: "config",
      });
    }
  }
}
