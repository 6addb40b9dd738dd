import { createHmac } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { DbExecutor } from "../create-db";
import { clientApiKeys } from "../schema";
import { hashClientKey, ISSUED_KEY_PREFIX } from "./client-key";
import type { MasterKey } from "./master-key";

/** The name of the admin console's own client key (its Playground's). */
export const PLAYGROUND_KEY_NAME = "admin-playground";

/**
 * The playground's client key is derived from MASTER_KEY instead of stored: the admin can
 * recompute it whenever it needs it, and only its hash is in the database like any issued key.
 * `generation` moves on when a key is revoked, since a revoked hash can never be reused.
 */
export function derivePlaygroundKey(masterKey: MasterKey, generation: number): string {
  const mac = createHmac("sha256", masterKey.bytes)
    .update(`429chain admin playground client key #${generation}`)
    .digest("base64url");
  return `${ISSUED_KEY_PREFIX}${mac}`;
}

/**
 * Revokes every live playground key derived from `masterKey`, as part of the caller's
 * transaction; returns how many. After a master-key rotation the old key is known to whoever
 * held the old MASTER_KEY, so the key it derives must stop working; the console derives a new
 * one from the new key on next use.
 */
export async function revokePlaygroundKeysOf(
  tx: DbExecutor,
  masterKey: MasterKey,
): Promise<number> {
  const rows = await tx
    .select({
      id: clientApiKeys.id,
      keyHash: clientApiKeys.keyHash,
      revokedAt: clientApiKeys.revokedAt,
    })
    .from(clientApiKeys)
    .where(eq(clientApiKeys.name, PLAYGROUND_KEY_NAME))
    .for("update");
  // A live key's generation is at most the number of keys of that name before it.
  const derived = new Set(
    rows.map((_, generation) => hashClientKey(derivePlaygroundKey(masterKey, generation))),
  );
  const live = rows.filter((r) => r.revokedAt === null && derived.has(r.keyHash));
  for (const row of live) {
    await tx
      .update(clientApiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(clientApiKeys.id, row.id), isNull(clientApiKeys.revokedAt)));
  }
  return live.length;
}
