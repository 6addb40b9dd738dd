import { eq, isNotNull } from "drizzle-orm";
import type { Db } from "../create-db";
import { writeAudit } from "../queries/audit";
import { bumpConfigVersion } from "../queries/config-version";
import { providerHeaderColumns } from "../queries/provider-columns";
import { decryptedHeaders } from "../queries/provider-headers";
import { clientApiKeys, providers } from "../schema";
import { splitHeaders } from "./credential-headers";
import { decryptSecret, encryptSecret, SecretDecryptError } from "./encrypt-secret";
import type { MasterKey } from "./master-key";
import { revokePlaygroundKeysOf } from "./playground-key";
import { clientKeySecretContext, providerSecretContext } from "./secret-context";

interface RotationResult {
  providers: number;
  clientKeys: number;
  /** Live admin playground keys derived from the old key, now revoked. */
  playgroundKeysRevoked: number;
  version: number;
}

/**
 * Re-encrypts every stored secret (provider keys and credential headers, client keys) from
 * `oldKey` to `newKey` in one transaction, and revokes the admin playground key `oldKey`
 * derives. Rows already under `newKey` are left as they are; a row under any other key aborts
 * the whole rotation.
 */
export async function rotateSecrets(
  db: Db,
  oldKey: MasterKey,
  newKey: MasterKey,
  actor = "system",
): Promise<RotationResult> {
  return db.transaction(async (tx) => {
    const version = await bumpConfigVersion(tx);
    const reencrypt = (what: string, ciphertext: string, context: string) => {
      try {
        return encryptSecret(decryptSecret(ciphertext, oldKey, context), newKey, context);
      } catch (err) {
        throw new SecretDecryptError(`${what}: ${(err as Error).message}`);
      }
    };
    const providerRows = await tx.select().from(providers).for("update");
    let providerCount = 0;
    for (const p of providerRows) {
      const keyDone = p.apiKeyKeyId === newKey.id;
      // Credential headers under the old key, or still in the clear from before they were
      // split off: both end up encrypted under the new key.
      const headersDone =
        (p.secretHeaders === null || p.secretHeadersKeyId === newKey.id) &&
        splitHeaders(p.headers).credentials === null;
      if (keyDone && headersDone) continue;
      const context = providerSecretContext(p.id);
      const keyColumns = keyDone
        ? {}
        : {
            apiKeyCiphertext: reencrypt(`provider "${p.id}"`, p.apiKeyCiphertext, context),
            apiKeyKeyId: newKey.id,
          };
      const headerKey = p.secretHeadersKeyId === newKey.id ? newKey : oldKey;
      const headerColumns = headersDone
        ? {}
        : providerHeaderColumns({ id: p.id, headers: decryptedHeaders(p, headerKey) }, newKey);
      await tx
        .update(providers)
        .set({ ...keyColumns, ...headerColumns })
        .where(eq(providers.id, p.id));
      providerCount++;
    }
    const keyRows = await tx
      .select()
      .from(clientApiKeys)
      .where(isNotNull(clientApiKeys.secretCiphertext))
      .for("update");
    let keyCount = 0;
    for (const k of keyRows) {
      if (k.secretKeyId === newKey.id) continue;
      const context = clientKeySecretContext(k.keyHash);
      const secretCiphertext = reencrypt(`client key ${k.id}`, k.secretCiphertext!, context);
      await tx
        .update(clientApiKeys)
        .set({ secretCiphertext, secretKeyId: newKey.id })
        .where(eq(clientApiKeys.id, k.id));
      keyCount++;
    }
    const playgroundKeysRevoked = await revokePlaygroundKeysOf(tx, oldKey);
    const summary = {
      from: oldKey.id,
      to: newKey.id,
      providers: providerCount,
      clientKeys: keyCount,
      playgroundKeysRevoked,
    };
    await writeAudit(tx, {
      actor,
      action: "secrets.rotate",
      target: "secrets",
      configVersion: version,
      after: summary,
    });
    return { providers: providerCount, clientKeys: keyCount, playgroundKeysRevoked, version };
  });
}
