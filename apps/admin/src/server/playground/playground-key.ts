import "server-only";
import {
  bumpConfigVersion,
  clientApiKeys,
  type Db,
  derivePlaygroundKey,
  displayPrefixOf,
  hashClientKey,
  type MasterKey,
  PLAYGROUND_KEY_NAME,
  writeAudit,
} from "@429chain/db";
import { eq } from "drizzle-orm";

export interface PlaygroundKey {
  key: string;
  /** Set when this call created the key: the config version the gateways must reach. */
  createdVersion: number | null;
}

/**
 * The playground's key, created (audited, config version bumped) on first use or after an
 * admin revoked the previous one. Concurrent first uses insert the same hash once.
 */
export async function ensurePlaygroundKey(
  db: Db,
  masterKey: MasterKey,
  actor: string,
  now: Date = new Date(),
): Promise<PlaygroundKey> {
  const rows = await db
    .select({
      keyHash: clientApiKeys.keyHash,
      revokedAt: clientApiKeys.revokedAt,
      expiresAt: clientApiKeys.expiresAt,
    })
    .from(clientApiKeys)
    .where(eq(clientApiKeys.name, PLAYGROUND_KEY_NAME));
  for (let generation = 0; ; generation += 1) {
    const key = derivePlaygroundKey(masterKey, generation);
    const hash = hashClientKey(key);
    const row = rows.find((r) => r.keyHash === hash);
    if (row && (row.revokedAt !== null || (row.expiresAt !== null && row.expiresAt <= now))) {
      continue;
    }
    if (row) return { key, createdVersion: null };
    return { key, createdVersion: await insertKey(db, key, hash, actor) };
  }
}

async function insertKey(db: Db, key: string, hash: string, actor: string): Promise<number | null> {
  return db.transaction(async (tx) => {
    const [record] = await tx
      .insert(clientApiKeys)
      .values({
        name: PLAYGROUND_KEY_NAME,
        keyHash: hash,
        displayPrefix: displayPrefixOf(key),
        source: "issued",
      })
      .onConflictDoNothing({ target: clientApiKeys.keyHash })
      .returning({
        id: clientApiKeys.id,
        name: clientApiKeys.name,
        displayPrefix: clientApiKeys.displayPrefix,
        createdAt: clientApiKeys.createdAt,
      });
    // Another request created it a moment ago.
    if (!record) return null;
    const version = await bumpConfigVersion(tx);
    await writeAudit(tx, {
      actor,
      action: "client_key.create",
      target: `client_key:${record.id}`,
      configVersion: version,
      after: record,
    });
    return version;
  });
}
