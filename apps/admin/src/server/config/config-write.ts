import "server-only";
import { ConfigWriteError, type Db, type MasterKey } from "@429chain/db";
import type { Session } from "../../lib/auth";
import { adminEnv } from "../../lib/env";
import { ActionError } from "../../lib/errors";
import { getDb, publishConfigChanged } from "../../lib/services";

/** What config action bodies use; tests pass their own database and master key. */
export interface ConfigDeps {
  db: Db;
  masterKey: MasterKey;
  /** Announces a committed config version to gateway replicas. */
  publish(version: number): Promise<void>;
}

/** The process's own: its database, master key and config publisher. */
export async function configDeps(): Promise<ConfigDeps> {
  return { db: await getDb(), masterKey: adminEnv().MASTER_KEY, publish: publishConfigChanged };
}

/** What @429chain/db's config writes take: the key for secrets and the actor to audit. */
export const writeOptions = (deps: ConfigDeps, session: Session) => ({
  masterKey: deps.masterKey,
  actor: session.user.email,
});

const STATUS: Record<ConfigWriteError["code"], number> = {
  invalid: 400,
  not_found: 404,
  in_use: 409,
  default_chain: 409,
};

/** The refusal as the console shows it: the database's own words, fields keyed by path. */
export function toActionError(err: ConfigWriteError): ActionError {
  const fieldErrors = err.issues.length > 0 ? err.fieldErrors : undefined;
  return new ActionError(STATUS[err.code], err.message, fieldErrors);
}

/** Runs a config write, then announces its version; refusals become ActionErrors. */
export async function writeConfig<T extends { version: number }>(
  deps: ConfigDeps,
  write: () => Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await write();
  } catch (err) {
    throw err instanceof ConfigWriteError ? toActionError(err) : err;
  }
  await deps.publish(result.version);
  return result;
}
