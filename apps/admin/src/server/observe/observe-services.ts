import type { Db } from "@429chain/db";
import { createRedisStateReader, type QuotaStateReader } from "@429chain/quota";
import { adminEnv } from "../../lib/env";
import { getDb, getRedis } from "../../lib/services";
import { createLiveStateReader, type LiveStateReader } from "./live-state";
import { createLiveStateHub, type LiveStateHub } from "./live-state-hub";

export interface ObserveServices {
  db: Db;
  quota: QuotaStateReader;
  live: LiveStateReader;
  /** One Redis poll loop for every open live view of this process. */
  hub: LiveStateHub;
}

/** How often the live view re-reads Redis while someone watches. */
const POLL_MS = 500;

const holder = globalThis as typeof globalThis & {
  __429chainAdminObserve?: Promise<ObserveServices>;
};

/** The live-state services, or null without REDIS_URL (the gateways' state is then local). */
export function getObserveServices(): Promise<ObserveServices | null> {
  const redis = getRedis();
  if (!redis) return Promise.resolve(null);
  holder.__429chainAdminObserve ??= getDb().then((db) => {
    const quota = createRedisStateReader({ redis, prefix: adminEnv().REDIS_KEY_PREFIX });
    const live = createLiveStateReader({ db, quota });
    return { db, quota, live, hub: createLiveStateHub({ read: live.read, intervalMs: POLL_MS }) };
  });
  return holder.__429chainAdminObserve;
}
