import { sql } from "drizzle-orm";
import type { DbExecutor } from "../create-db";
import { configVersion } from "../schema";

/** 0 until the first write. */
export async function getConfigVersion(db: DbExecutor): Promise<number> {
  const rows = await db.select({ version: configVersion.version }).from(configVersion);
  return rows[0]?.version ?? 0;
}

/**
 * Increments the version inside the caller's transaction. Call it first: the row lock it
 * takes serialises concurrent config writes until commit.
 */
export async function bumpConfigVersion(tx: DbExecutor): Promise<number> {
  const [row] = await tx
    .insert(configVersion)
    .values({ id: true, version: 1 })
    .onConflictDoUpdate({
      target: configVersion.id,
      set: { version: sql`${configVersion.version} + 1`, updatedAt: sql`now()` },
    })
    .returning({ version: configVersion.version });
  return row!.version;
}
