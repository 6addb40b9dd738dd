import "server-only";
import { adminEnv } from "../../lib/env";
import { getDb, publishConfigChanged } from "../../lib/services";
import type { ConfigDeps } from "./config-write";

export async function configDeps(): Promise<ConfigDeps> {
  return { db: await getDb(), masterKey: adminEnv().MASTER_KEY, publish: publishConfigChanged };
}
