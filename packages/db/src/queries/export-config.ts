import type { ConfigInput } from "@429chain/contracts";
import type { Db } from "../create-db";
import { decryptSecret, SecretDecryptError } from "../secrets/encrypt-secret";
import type { MasterKey } from "../secrets/master-key";
import { clientKeySecretContext, providerSecretContext } from "../secrets/secret-context";
import { assembleConfig, type SecretReaders } from "./assemble-config";
import { ConfigSnapshotError } from "./errors";
import { decryptedHeaders, redactedStoredHeaders } from "./provider-headers";
import { type ConfigRows, readConfigRows } from "./read-config-rows";
import { REDACTED_PROVIDER_KEY, redactedClientKey } from "./redaction";

export type ExportOptions =
  | { withSecrets: true; masterKey: MasterKey }
  | { withSecrets: false; masterKey?: MasterKey };

export interface ConfigExport {
  config: ConfigInput;
  /**
   * "redacted": every provider apiKey, credential header and settings.apiKeys entry is a
   * `<redacted:…>` placeholder; importing the document keeps the stored secrets.
   */
  secrets: "included" | "redacted";
}

// Names the record in the error, since a decrypt failure alone does not say which one.
function decryptNamed(what: string, ciphertext: string, key: MasterKey, context: string): string {
  try {
    return decryptSecret(ciphertext, key, context);
  } catch (err) {
    throw new SecretDecryptError(`${what}: ${(err as Error).message}`);
  }
}

export function secretReaders(masterKey: MasterKey): SecretReaders {
  return {
    providerApiKey: (p) =>
      decryptNamed(
        `provider "${p.id}" apiKey`,
        p.apiKeyCiphertext,
        masterKey,
        providerSecretContext(p.id),
      ),
    providerHeaders: (p) => decryptedHeaders(p, masterKey),
    clientKey: (k) =>
      decryptNamed(
        `client key ${k.displayPrefix}… (${k.id})`,
        k.secretCiphertext!,
        masterKey,
        clientKeySecretContext(k.keyHash),
      ),
  };
}

export const redactingReaders: SecretReaders = {
  providerApiKey: () => REDACTED_PROVIDER_KEY,
  providerHeaders: redactedStoredHeaders,
  clientKey: (k) => redactedClientKey(k.id),
};

/** The masked document audit entries record; null before the first import. */
export function maskedConfig(rows: ConfigRows): ConfigInput | null {
  return assembleConfig(rows, redactingReaders);
}

/** A config document that imports back to the same content. */
export async function exportConfig(db: Db, options: ExportOptions): Promise<ConfigExport> {
  const rows = await db.transaction((tx) => readConfigRows(tx), {
    isolationLevel: "repeatable read",
    accessMode: "read only",
  });
  const readers = options.withSecrets ? secretReaders(options.masterKey) : redactingReaders;
  const config = assembleConfig(rows, readers);
  if (config === null) {
    throw new ConfigSnapshotError("empty", ["the database holds no config yet: import one first"]);
  }
  return { config, secrets: options.withSecrets ? "included" : "redacted" };
}
