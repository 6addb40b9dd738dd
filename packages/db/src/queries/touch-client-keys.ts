import { sql } from "drizzle-orm";
import type { Db } from "../create-db";

export interface ClientKeyUse {
  id: string;
  at: Date;
}

/**
 * Records when keys were last used, in one statement for a batch gathered by a gateway.
 * Not a config change: no version bump, no audit. A time never moves backwards.
 */
export async function touchClientKeys(db: Db, uses: readonly ClientKeyUse[]): Promise<void> {
  if (uses.length === 0) return;
  const values = sql.join(
    uses.map((u) => sql`(${u.id}::uuid, ${u.at.toISOString()}::timestamptz)`),
    sql`, `,
  );
  await db.execute(sql`
    UPDATE client_api_keys AS k
    SET last_used_at = GREATEST(COALESCE(k.last_used_at, v.at), v.at)
    FROM (VALUES ${values}) AS v(id, at)
    WHERE k.id = v.id
  `);
}
