import { eq, isNotNull } from "drizzle-orm";
import type { Db } from "../create-db";
import { writeAudit } from "../queries/audit";
import { bumpConfigVersion } from "../queries/config-version";
import { clientApiKeys, providers } from "../schema";
import { decryptSecret, encryptSecret, SecretDecryptError } from "./encrypt-secret";
import type { MasterKey } from "./master-key";
import { clientKeySecretContext, providerSecretContext } from "./secret-context";

export interface RotationResult {
  providers: number;
  clientKeys: number;
  version: number;
}

/**
 * Re-encrypts every stored secret from `oldKey` to `newKey` in one transaction. Rows already
 * under `newKey` are left as they are; a row under any other key aborts the whole rotation.
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
      if (p.apiKeyKeyId === newKey.id) continue;
      const context = providerSecretContext(p.id);
      const apiKeyCiphertext = reencrypt(`provider "${p.id}"`, p.apiKeyCiphertext, context);
      await tx
        .update(providers)
        .set({ apiKeyCiphertext, apiKeyKeyId: newKey.id })
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
    const summary = {
      from: oldKey.id,
      to: newKey.id,
      providers: providerCount,
      clientKeys: keyCount,
    };
    await writeAudit(tx, {
      actor,
      action: "secrets.rotate",
      target: "secrets",
      configVersion: version,
      after: summary,
    });
    return { providers: providerCount, clientKeys: keyCount, version };
  });
}
