import type { Db } from "@429chain/db";
import { createRedisStateReader, type QuotaStateReader, readQueueStats } from "@429chain/quota";
import { adminEnv } from "../../lib/env";
import { getDb, getRedis } from "../../lib/services";
import { createControlStateReader, createGatewayControl } from "./gateway-control";
import { createLiveStateReader, type LiveStateReader } from "./live-state";
import {
  createLiveHub,
  createLiveStateHub,
  type LiveHub,
  type LiveStateHub,
} from "./live-state-hub";
import {
  controlQuotaView,
  type QuotaView,
  type QuotaViewReader,
  redisQuotaView,
} from "./quota-view";

export interface ObserveServices {
  db: Db;
  /** Where the gateways' live state is read: Redis, or one gateway's control API. */
  source: "redis" | "gateway";
  quota: QuotaStateReader;
  live: LiveStateReader;
  /** One poll loop for every open Rate limits page of this process. */
  hub: LiveStateHub;
  /** The Quota page's ledger, read now. */
  quotaView: QuotaViewReader;
  /** … and one poll loop for every open Quota page. */
  quotaHub: LiveHub<QuotaView>;
}

/** How often the live views re-read the state while someone watches. */
const POLL_MS = 500;
/** The Quota page's forecasts move slowly: once a second is live enough. */
const QUOTA_POLL_MS = 1_000;

const holder = globalThis as typeof globalThis & {
  __429chainAdminObserve?: Promise<ObserveServices>;
};

/**
 * The live-state services: through the gateway's control API when GATEWAY_CONTROL_URL is set,
 * else through Redis; null with neither (the gateways' state is then out of reach).
 */
export function getObserveServices(): Promise<ObserveServices | null> {
  const env = adminEnv();
  const control =
    env.GATEWAY_CONTROL_URL && env.GATEWAY_CONTROL_TOKEN
      ? createGatewayControl({ url: env.GATEWAY_CONTROL_URL, token: env.GATEWAY_CONTROL_TOKEN })
      : undefined;
  const redis = control ? null : getRedis();
  if (!control && !redis) return Promise.resolve(null);
  holder.__429chainAdminObserve ??= getDb().then((db): ObserveServices => {
    const quota = control
      ? createControlStateReader(control)
      : createRedisStateReader({ redis: redis!, prefix: env.REDIS_KEY_PREFIX });
    const live = createLiveStateReader({
      db,
      quota,
      ...(control ? { source: "the gateway's control API" } : {}),
    });
    const view = control
      ? controlQuotaView(control)
      : redisQuotaView({
          live,
          quota,
          // The gateways name a chain's queue `chain:<name>` (apps/gateway resolve-model.ts).
          queueOf: (chain) => readQueueStats(redis!, `chain:${chain}`, env.REDIS_KEY_PREFIX),
        });
    return {
      db,
      source: control ? "gateway" : "redis",
      quota,
      live,
      quotaView: view,
      hub: createLiveStateHub({ read: live.read, intervalMs: POLL_MS }),
      quotaHub: createLiveHub({
        read: view,
        intervalMs: QUOTA_POLL_MS,
        failed: (message) => ({ kind: "error", at: Date.now(), message }),
      }),
    };
  });
  return holder.__429chainAdminObserve;
}
