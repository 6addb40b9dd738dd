import { usdToMicros } from "@429chain/contracts";
import { desc, eq, inArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbExecutor } from "../create-db";
import { chains, clientApiKeys } from "../schema";
import { displayPrefixOf, generateClientKey, hashClientKey } from "../secrets/client-key";
import { writeAudit } from "./audit";
import { bumpConfigVersion } from "./config-version";
import { ClientKeyLookupError, formatZodIssues, InvalidInputError } from "./errors";

const positiveInt = z.number().int().positive();

export const CreateClientKeyInputSchema = z.object({
  name: z.string().trim().min(1),
  /** Omitted: every chain. */
  chains: z.array(z.string().min(1)).min(1).optional(),
  rpm: positiveInt.optional(),
  dailyTokens: positiveInt.optional(),
  monthlyTokens: positiveInt.optional(),
  /** Spend budgets in USD per UTC day and calendar month (stored as micro-dollars). */
  dailyUsd: z.number().positive().max(1_000_000).optional(),
  monthlyUsd: z.number().positive().max(1_000_000).optional(),
  expiresAt: z.date().optional(),
});
type CreateClientKeyInput = z.input<typeof CreateClientKeyInputSchema>;

/** A stored key as lists and audit entries show it: no hash, no secret. */
export type ClientKeyRecord = Omit<
  typeof clientApiKeys.$inferSelect,
  "keyHash" | "secretCiphertext" | "secretKeyId"
>;

const recordColumns = {
  id: clientApiKeys.id,
  name: clientApiKeys.name,
  displayPrefix: clientApiKeys.displayPrefix,
  source: clientApiKeys.source,
  configPosition: clientApiKeys.configPosition,
  allowedChains: clientApiKeys.allowedChains,
  rpm: clientApiKeys.rpm,
  dailyTokens: clientApiKeys.dailyTokens,
  monthlyTokens: clientApiKeys.monthlyTokens,
  dailySpendMicros: clientApiKeys.dailySpendMicros,
  monthlySpendMicros: clientApiKeys.monthlySpendMicros,
  expiresAt: clientApiKeys.expiresAt,
  revokedAt: clientApiKeys.revokedAt,
  lastUsedAt: clientApiKeys.lastUsedAt,
  createdAt: clientApiKeys.createdAt,
};

async function assertChainsExist(tx: DbExecutor, names: string[]): Promise<void> {
  const found = await tx
    .select({ name: chains.name })
    .from(chains)
    .where(inArray(chains.name, names));
  const missing = names.filter((n) => !found.some((f) => f.name === n));
  if (missing.length > 0) {
    throw new InvalidInputError(missing.map((n) => `chains: unknown chain "${n}"`));
  }
}

/** Creates a key; `key` is the only time the plaintext exists outside the client. */
export async function createClientKey(
  db: Db,
  input: CreateClientKeyInput,
  actor: string,
): Promise<{ key: string; record: ClientKeyRecord; version: number }> {
  const parsed = CreateClientKeyInputSchema.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(formatZodIssues(parsed.error.issues));
  const data = parsed.data;
  const key = generateClientKey();
  return db.transaction(async (tx) => {
    const version = await bumpConfigVersion(tx);
    if (data.chains) await assertChainsExist(tx, data.chains);
    const [record] = await tx
      .insert(clientApiKeys)
      .values({
        name: data.name,
        keyHash: hashClientKey(key),
        displayPrefix: displayPrefixOf(key),
        source: "issued",
        allowedChains: data.chains ?? null,
        rpm: data.rpm ?? null,
        dailyTokens: data.dailyTokens ?? null,
        monthlyTokens: data.monthlyTokens ?? null,
        dailySpendMicros: data.dailyUsd === undefined ? null : usdToMicros(data.dailyUsd),
        monthlySpendMicros: data.monthlyUsd === undefined ? null : usdToMicros(data.monthlyUsd),
        expiresAt: data.expiresAt ?? null,
      })
      .returning(recordColumns);
    await writeAudit(tx, {
      actor,
      action: "client_key.create",
      target: `client_key:${record!.id}`,
      configVersion: version,
      after: record,
    });
    return { key, record: record!, version };
  });
}

/** Newest first. */
export async function listClientKeys(db: DbExecutor): Promise<ClientKeyRecord[]> {
  return db.select(recordColumns).from(clientApiKeys).orderBy(desc(clientApiKeys.createdAt));
}

/**
 * Revokes the key whose display prefix (or id) is `prefixOrId`. Revoking a revoked key
 * changes nothing and bumps nothing: `version` is then null, and there is nothing to announce.
 */
export async function revokeClientKey(
  db: Db,
  prefixOrId: string,
  actor: string,
): Promise<{ record: ClientKeyRecord; version: number | null }> {
  return db.transaction(async (tx) => {
    const isUuid = z.uuid().safeParse(prefixOrId).success;
    const matches = await tx
      .select(recordColumns)
      .from(clientApiKeys)
      .where(
        isUuid
          ? or(eq(clientApiKeys.id, prefixOrId), eq(clientApiKeys.displayPrefix, prefixOrId))
          : eq(clientApiKeys.displayPrefix, prefixOrId),
      )
      .for("update");
    const [match] = matches;
    if (!match) throw new ClientKeyLookupError("not_found", `no client key "${prefixOrId}"`);
    if (matches.length > 1) {
      const ids = matches.map((m) => m.id).join(", ");
      throw new ClientKeyLookupError(
        "ambiguous",
        `"${prefixOrId}" matches ${matches.length} keys (${ids}): revoke by id`,
      );
    }
    if (match.revokedAt !== null) return { record: match, version: null };
    const version = await bumpConfigVersion(tx);
    const [after] = await tx
      .update(clientApiKeys)
      .set({ revokedAt: sql`now()` })
      .where(eq(clientApiKeys.id, match.id))
      .returning(recordColumns);
    await writeAudit(tx, {
      actor,
      action: "client_key.revoke",
      target: `client_key:${match.id}`,
      configVersion: version,
      before: match,
      after,
    });
    return { record: after!, version };
  });
}

/** Chain names in config order: what a key's allowed chains can be chosen from. */
export async function listChainNames(db: DbExecutor): Promise<string[]> {
  const rows = await db.select({ name: chains.name }).from(chains).orderBy(chains.position);
  return rows.map((r) => r.name);
}
