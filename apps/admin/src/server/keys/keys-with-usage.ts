import "server-only";
import {
  type ClientKeyRecord,
  type DbExecutor,
  listClientKeys,
  statsBreakdown,
} from "@429chain/db";

interface KeyUsage {
  requests: number;
  tokens: number;
}

export interface KeyWithUsage extends ClientKeyRecord {
  /** The last 30 UTC days, today included. */
  usage: KeyUsage;
}

const DAY = 86_400_000;
export const USAGE_DAYS = 30;

/** Every key, newest first, with its requests and tokens from the daily rollups. */
export async function listKeysWithUsage(db: DbExecutor, now = new Date()): Promise<KeyWithUsage[]> {
  const to = new Date(Math.floor(now.getTime() / DAY) * DAY + DAY);
  const from = new Date(to.getTime() - USAGE_DAYS * DAY);
  const [keys, usage] = await Promise.all([
    listClientKeys(db),
    statsBreakdown(db, { from, to, by: "apiKey", bucket: "day" }),
  ]);
  const byKey = new Map(usage.map((u) => [u.key, u]));
  return keys.map((key) => {
    const row = byKey.get(key.id);
    return {
      ...key,
      usage: {
        requests: row?.requests ?? 0,
        tokens: (row?.promptTokens ?? 0) + (row?.completionTokens ?? 0),
      },
    };
  });
}
