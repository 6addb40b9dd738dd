import { type ConfigInput, ConfigSchema } from "@429chain/contracts";
import type { Db, DbExecutor } from "../../create-db";
import type { StoredSettings } from "../../schema";
import type { MasterKey } from "../../secrets/master-key";
import { assembleConfig } from "../assemble-config";
import { writeAudit } from "../audit";
import { bumpConfigVersion } from "../config-version";
import { redactingReaders } from "../export-config";
import { type ConfigRows, readConfigRows } from "../read-config-rows";
import { invalidInput } from "./errors";

export interface AdminConfigOptions {
  masterKey: MasterKey;
  /** Who made the change, as the audit log shows it (e.g. the admin's email). */
  actor: string;
}

/** The stored config as a document with redacted secrets, ready to be changed and validated. */
export interface ConfigDraft {
  rows: ConfigRows;
  providers: ConfigInput["providers"];
  chains: ConfigInput["chains"];
  /** null until the first chain exists: nothing can be the default chain before that. */
  settings: ConfigInput["settings"] | null;
}

async function readDraft(tx: DbExecutor): Promise<ConfigDraft> {
  const rows = await readConfigRows(tx);
  const doc = assembleConfig(
    rows.settings ? rows : { ...rows, settings: {} as StoredSettings },
    redactingReaders,
  )!;
  return {
    rows,
    providers: doc.providers,
    chains: doc.chains,
    settings: rows.settings ? doc.settings : null,
  };
}

/**
 * Validates a changed draft with ConfigSchema, the rules importConfig applies, except for
 * what a config being built one record at a time lacks at first: providers or chains, and
 * a default chain while no chain exists. Paths under `focus` are reported relative to it.
 */
export function validateDraft(
  draft: Omit<ConfigDraft, "rows">,
  what: string,
  focus: readonly PropertyKey[],
): void {
  const settings = draft.settings ?? { defaultChain: "(none)" };
  const parsed = ConfigSchema.safeParse({ version: 1, ...draft, settings });
  if (parsed.success) return;
  const issues = parsed.error.issues.filter((i) => !isSetupGap(i.path, draft.settings === null));
  if (issues.length > 0) throw invalidInput(what, issues, focus);
}

function isSetupGap(path: readonly PropertyKey[], noSettings: boolean): boolean {
  const joined = path.join(".");
  if (joined === "providers" || joined === "chains") return true;
  return noSettings && joined.startsWith("settings");
}

interface ConfigChange<T> {
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
  result: T;
}

/**
 * Runs one config write in a transaction: bumps the version first (its row lock serialises
 * concurrent writers), applies the change, and writes the audit entry it describes.
 */
export async function writeConfigChange<T>(
  db: Db,
  actor: string,
  change: (tx: DbExecutor, draft: ConfigDraft) => Promise<ConfigChange<T>>,
): Promise<T & { version: number }> {
  return db.transaction(async (tx) => {
    const version = await bumpConfigVersion(tx);
    const { result, ...entry } = await change(tx, await readDraft(tx));
    await writeAudit(tx, { actor, configVersion: version, ...entry });
    return { ...result, version };
  });
}
