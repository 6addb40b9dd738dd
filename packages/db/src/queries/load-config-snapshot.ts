import { type Config, ConfigSchema } from "@429chain/contracts";
import type { Db } from "../create-db";
import { type ClientKeySource, clientApiKeys } from "../schema";
import type { MasterKey } from "../secrets/master-key";
import { assembleConfig } from "./assemble-config";
import { getConfigVersion } from "./config-version";
import { ConfigSnapshotError, formatZodIssues } from "./errors";
import { secretReaders } from "./export-config";
import { readConfigRows } from "./read-config-rows";

export interface SnapshotClientKey {
  id: string;
  /** SHA-256 hex of the key, what the gateway compares a presented key's hash with. */
  hash: string;
  displayPrefix: string;
  name: string;
  source: ClientKeySource;
  /** null: every chain. */
  allowedChains: string[] | null;
  rpm: number | null;
  dailyTokens: number | null;
  monthlyTokens: number | null;
  /** Spend budgets in micro-dollars (USD × 1e6). */
  dailySpendMicros: number | null;
  monthlySpendMicros: number | null;
  expiresAt: Date | null;
  revoked: boolean;
}

export interface ConfigSnapshot {
  version: number;
  /** Validated, provider apiKeys decrypted; settings.apiKeys holds the unrevoked v1 file keys. */
  config: Config;
  /** Every client key, revoked and expired ones included, so the gateway can tell them apart. */
  clientKeys: SnapshotClientKey[];
}

/**
 * Reads the whole config in one REPEATABLE READ transaction, so the version matches the
 * rows. Throws ConfigSnapshotError when the stored rows do not make a valid config.
 */
export async function loadConfigSnapshot(
  db: Db,
  options: { masterKey: MasterKey },
): Promise<ConfigSnapshot> {
  const { rows, keys, version } = await db.transaction(
    async (tx) => ({
      rows: await readConfigRows(tx),
      keys: await tx
        .select()
        .from(clientApiKeys)
        .orderBy(clientApiKeys.createdAt, clientApiKeys.id),
      version: await getConfigVersion(tx),
    }),
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  let document: ReturnType<typeof assembleConfig>;
  try {
    document = assembleConfig(rows, secretReaders(options.masterKey));
  } catch (err) {
    throw new ConfigSnapshotError("secrets", [(err as Error).message]);
  }
  if (document === null) {
    throw new ConfigSnapshotError("empty", ["the database holds no config yet: import one first"]);
  }
  const parsed = ConfigSchema.safeParse(document);
  if (!parsed.success) {
    throw new ConfigSnapshotError("invalid", formatZodIssues(parsed.error.issues));
  }
  return {
    version,
    config: parsed.data,
    clientKeys: keys.map((k) => ({
      id: k.id,
      hash: k.keyHash,
      displayPrefix: k.displayPrefix,
      name: k.name,
      source: k.source,
      allowedChains: k.allowedChains,
      rpm: k.rpm,
      dailyTokens: k.dailyTokens,
      monthlyTokens: k.monthlyTokens,
      dailySpendMicros: k.dailySpendMicros,
      monthlySpendMicros: k.monthlySpendMicros,
      expiresAt: k.expiresAt,
      revoked: k.revokedAt !== null,
    })),
  };
}
