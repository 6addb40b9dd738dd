import type { DbExecutor } from "../create-db";
import { settings } from "../schema/settings";

/** True once a config has been stored (imported or written by the admin). */
export async function hasStoredConfig(db: DbExecutor): Promise<boolean> {
  const rows = await db.select({ id: settings.id }).from(settings).limit(1);
  return rows.length > 0;
}
