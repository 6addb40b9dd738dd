import { PUBLIC_EXAMPLE_CLIENT_KEYS } from "@429chain/contracts";
import { isNull } from "drizzle-orm";
import type { DbExecutor } from "../create-db";
import { clientApiKeys } from "../schema";
import { hashClientKey } from "../secrets/client-key";

interface UsableClientKeys {
  /** Unrevoked, unexpired keys that are not published in this repository. */
  usable: number;
  /** Unrevoked stored keys equal to a published example key (refused beyond loopback). */
  published: Array<{ name: string; displayPrefix: string }>;
}

/**
 * What a deployment's clients could authenticate with. A published example key does not
 * count: gateways reachable beyond loopback refuse it, and anyone can read it.
 */
export async function countUsableClientKeys(
  db: DbExecutor,
  now: Date = new Date(),
): Promise<UsableClientKeys> {
  const publishedHashes = new Set(PUBLIC_EXAMPLE_CLIENT_KEYS.map(hashClientKey));
  const rows = await db
    .select({
      name: clientApiKeys.name,
      displayPrefix: clientApiKeys.displayPrefix,
      keyHash: clientApiKeys.keyHash,
      expiresAt: clientApiKeys.expiresAt,
    })
    .from(clientApiKeys)
    .where(isNull(clientApiKeys.revokedAt));
  const published = rows.filter((r) => publishedHashes.has(r.keyHash));
  const usable = rows.filter(
    (r) => !publishedHashes.has(r.keyHash) && (r.expiresAt === null || r.expiresAt > now),
  );
  return {
    usable: usable.length,
    published: published.map(({ name, displayPrefix }) => ({ name, displayPrefix })),
  };
}
