import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

/** Files of the embedded stack inside DATA_DIR. */
export interface DataDir {
  root: string;
  /** PGlite's Postgres data directory. */
  postgres: string;
  masterKey: string;
  adminPassword: string;
  lock: string;
  /** The newest migration a start applied to `postgres`: the next start knows none is due. */
  schema: string;
}

export function openDataDir(path: string): DataDir {
  const root = resolve(path);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  return {
    root,
    postgres: join(root, "postgres"),
    masterKey: join(root, "master.key"),
    adminPassword: join(root, "admin-password.txt"),
    lock: join(root, "quickstart.pid"),
    schema: join(root, "schema-version"),
  };
}

/** Written for the owner only; never replaces an existing file. */
export function writeSecretFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600, flag: "wx" });
  // The process umask can only remove bits; make the mode exact anyway.
  chmodSync(path, 0o600);
}

/** MASTER_KEY from the environment, else the one kept in the data directory (made once). */
export function resolveMasterKey(
  fromEnv: string | undefined,
  dir: DataDir,
): { value: string; generated: boolean } {
  if (fromEnv) return { value: fromEnv, generated: false };
  if (existsSync(dir.masterKey)) {
    return { value: readFileSync(dir.masterKey, "utf8").trim(), generated: false };
  }
  const value = randomBytes(32).toString("base64");
  writeSecretFile(dir.masterKey, `${value}\n`);
  return { value, generated: true };
}

/** A path as the user would type it: relative to where the command was run. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : `./${rel}`;
}
