import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { loadConfigFile } from "@429chain/config";
import {
  adminUsers,
  createUser,
  type Db,
  getConfigVersion,
  importConfig,
  type MasterKey,
} from "@429chain/db";

// createUser wants a domain with a dot, so not "admin@localhost".
export const ADMIN_EMAIL = "admin@429chain.local";
const DEFAULT_CONFIG = "./config/config.yaml";
const EXAMPLE_CONFIG = "./config/config.example.yaml";

interface FirstRunOptions {
  /** CONFIG_PATH; unset: ./config/config.yaml if present, else the shipped example. */
  configPath: string | undefined;
  masterKey: MasterKey;
  say(line: string): void;
}

export interface FirstRunResult {
  /** The file imported into a database that had no config yet. */
  importedFrom?: string;
  /** The password of the admin account created because there was none. */
  adminPassword?: string;
}

/**
 * Fills what an empty database lacks: the config (imported as `pnpm cli config import` does)
 * and an admin account. Each step is skipped once done, so later runs keep the data.
 */
export async function setUpEmptyDatabase(db: Db, opts: FirstRunOptions): Promise<FirstRunResult> {
  const result: FirstRunResult = {};
  if ((await getConfigVersion(db)) === 0) {
    const path = opts.configPath ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : EXAMPLE_CONFIG);
    const loaded = await loadConfigFile(path);
    for (const warning of loaded.warnings) opts.say(`warning: ${warning}`);
    if (!loaded.ok) {
      throw new Error(
        `cannot import ${path}; the database is unchanged:\n${loaded.errors.map((e) => `  ${e}`).join("\n")}`,
      );
    }
    await importConfig(db, loaded.config, { masterKey: opts.masterKey, actor: "quickstart" });
    result.importedFrom = path;
  }
  if ((await db.$count(adminUsers)) === 0) {
    // 18 random bytes: 144 bits in 24 base64url characters, as `pnpm cli users create` makes.
    const password = randomBytes(18).toString("base64url");
    await createUser(db, { email: ADMIN_EMAIL, role: "admin", password }, "quickstart");
    result.adminPassword = password;
  }
  return result;
}
