import {
  isCredentialHeader,
  type ProviderConfig,
  type ProviderType,
  type RateLimits,
} from "@429chain/contracts";
import { asc, eq } from "drizzle-orm";
import type { DbExecutor } from "../../create-db";
import { chainEntries, chains, type ProviderTimeoutsJson, providers } from "../../schema";
import { decryptSecret } from "../../secrets/encrypt-secret";
import type { MasterKey } from "../../secrets/master-key";
import { providerHeaderSecretContext, providerSecretContext } from "../../secrets/secret-context";
import { decryptedHeaders } from "../provider-headers";
import { ConfigWriteError } from "./errors";

/** A provider as the admin shows it: every field except the secrets, which are only masked. */
export interface ProviderView {
  id: string;
  name: string;
  type: ProviderType;
  baseUrl: string | null;
  /** e.g. "••••x9Qz"; "(cannot decrypt: …)" when MASTER_KEY does not match. */
  maskedApiKey: string;
  /** Extra headers; a credential header's value is masked like the key. */
  headers: Record<string, string> | null;
  /** The names in `headers` whose values are credentials: write-only, masked. */
  credentialHeaders: string[];
  timeout: number | null;
  timeouts: ProviderTimeoutsJson | null;
  rateLimits: RateLimits | null;
  modelRateLimits: Record<string, RateLimits> | null;
  enabled: boolean;
  /** A free tier: its entries are priced 0 unless they set their own price. */
  free: boolean;
  /** Chains with an entry on this provider, in chain order. */
  usedByChains: string[];
}

type ProviderRow = typeof providers.$inferSelect;

// Long keys show their last 4 characters to tell keys apart; short ones would give too much away.
export function maskApiKey(plaintext: string): string {
  return plaintext.length >= 16 ? `••••${plaintext.slice(-4)}` : "••••";
}

function decryptKey(row: ProviderRow, key: MasterKey): string {
  return decryptSecret(row.apiKeyCiphertext, key, providerSecretContext(row.id));
}

function masked(decrypt: () => string): string {
  try {
    return maskApiKey(decrypt());
  } catch (err) {
    return `(cannot decrypt: ${(err as Error).message})`;
  }
}

// Credentials stored in the clear before they were split off are masked all the same.
function maskedHeaders(row: ProviderRow, key: MasterKey): Record<string, string> | null {
  const plain = Object.entries(row.headers ?? {}).map(([name, value]) => [
    name,
    isCredentialHeader(name) ? maskApiKey(value) : value,
  ]);
  const secret = Object.entries(row.secretHeaders ?? {}).map(([name, ciphertext]) => [
    name,
    masked(() => decryptSecret(ciphertext, key, providerHeaderSecretContext(row.id, name))),
  ]);
  const all = [...plain, ...secret];
  return all.length > 0 ? Object.fromEntries(all) : null;
}

function viewOf(row: ProviderRow, usedByChains: string[], key: MasterKey): ProviderView {
  const maskedApiKey = masked(() => decryptKey(row, key));
  const headers = maskedHeaders(row, key);
  return {
    id: row.id,
    name: row.name,
    type: row.type as ProviderType,
    baseUrl: row.baseUrl,
    maskedApiKey,
    headers,
    credentialHeaders: Object.keys(headers ?? {}).filter(isCredentialHeader),
    timeout: row.timeoutMs,
    timeouts: row.timeouts,
    rateLimits: row.rateLimits,
    modelRateLimits: row.modelRateLimits,
    enabled: row.enabled,
    free: row.free,
    usedByChains,
  };
}

/** Chain names per provider id, each list in chain order without repeats. */
export async function chainsByProvider(tx: DbExecutor): Promise<Map<string, string[]>> {
  const rows = await tx
    .selectDistinct({
      providerId: chainEntries.providerId,
      chain: chains.name,
      pos: chains.position,
    })
    .from(chainEntries)
    .innerJoin(chains, eq(chains.name, chainEntries.chainName))
    .orderBy(asc(chains.position), asc(chains.name));
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.providerId, [...(out.get(r.providerId) ?? []), r.chain]);
  return out;
}

export async function listProviders(
  db: DbExecutor,
  options: { masterKey: MasterKey },
): Promise<ProviderView[]> {
  const rows = await db
    .select()
    .from(providers)
    .orderBy(asc(providers.position), asc(providers.id));
  const used = await chainsByProvider(db);
  return rows.map((r) => viewOf(r, used.get(r.id) ?? [], options.masterKey));
}

async function findProviderRow(db: DbExecutor, id: string): Promise<ProviderRow> {
  const [row] = await db.select().from(providers).where(eq(providers.id, id));
  if (!row) throw new ConfigWriteError("not_found", `no provider "${id}"`);
  return row;
}

export async function getProvider(
  db: DbExecutor,
  id: string,
  options: { masterKey: MasterKey },
): Promise<ProviderView> {
  const row = await findProviderRow(db, id);
  const used = await chainsByProvider(db);
  return viewOf(row, used.get(id) ?? [], options.masterKey);
}

/**
 * The provider's config with its key and credential headers decrypted, for server-side calls
 * such as a connection test. Never hand the result to a browser.
 */
export async function readProviderConfig(
  db: DbExecutor,
  id: string,
  options: { masterKey: MasterKey },
): Promise<ProviderConfig> {
  const row = await findProviderRow(db, id);
  return {
    id: row.id,
    name: row.name,
    type: row.type as ProviderType,
    apiKey: decryptKey(row, options.masterKey),
    baseUrl: row.baseUrl ?? undefined,
    timeout: row.timeoutMs ?? undefined,
    rateLimits: row.rateLimits ?? undefined,
    enabled: row.enabled,
    ...(row.free ? { free: true } : {}),
    headers: decryptedHeaders(row, options.masterKey),
    timeouts: row.timeouts ?? undefined,
    modelRateLimits: row.modelRateLimits ?? undefined,
  };
}
