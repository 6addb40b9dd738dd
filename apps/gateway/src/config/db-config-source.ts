import {
  ConfigSnapshotError,
  type DbHandle,
  getConfigVersion,
  loadConfigSnapshot,
  type MasterKey,
  type SnapshotClientKey,
} from "@429chain/db";
import type { RedisClient } from "@429chain/redis";
import type { FastifyBaseLogger } from "fastify";
import type { ConfigSource } from "./config-source";
import { buildSnapshot, type ClientKeyInfo, type ConfigSnapshot } from "./snapshot";

interface DbConfigSourceOptions {
  db: DbHandle;
  masterKey: MasterKey;
  log: FastifyBaseLogger;
  /** A dedicated Redis connection for pub/sub; without one only the poll notices changes. */
  subscriber?: RedisClient;
  channel: string;
  /** Safety net for a missed pub/sub message: how often the config version is compared. */
  pollMs: number;
  onReload?: (result: "ok" | "rejected") => void;
  /** Called after a new snapshot replaced the old one. */
  onSwap?: (previous: ConfigSnapshot, next: ConfigSnapshot) => void;
}

/**
 * DB mode: the snapshot comes from Postgres, never queried on the request path. A change is
 * noticed by a "config changed" message or by the version poll; a snapshot that fails
 * validation is rejected and the old one keeps serving, as it does while Postgres is down.
 */
export async function createDbConfigSource(opts: DbConfigSourceOptions): Promise<ConfigSource> {
  const source = `postgres (${opts.db.driver})`;
  let snapshot = await loadSnapshot(opts, source).catch((err: unknown) => {
    throw new Error(`cannot load the config from the database: ${describe(err)}`);
  });
  let degraded = false;
  let running: Promise<boolean> | undefined;
  let again = false;

  async function reloadOnce(): Promise<boolean> {
    try {
      const next = await loadSnapshot(opts, source);
      degraded = false;
      if (next.version === snapshot.version) return true;
      const previous = snapshot;
      snapshot = next;
      opts.onSwap?.(previous, next);
      opts.log.info({ version: snapshot.version }, "config reloaded from the database");
      opts.onReload?.("ok");
      return true;
    } catch (err) {
      if (err instanceof ConfigSnapshotError) {
        opts.log.error(
          { issues: err.issues },
          `config in the database rejected, still serving version ${snapshot.version}`,
        );
        opts.onReload?.("rejected");
      } else {
        degraded = true;
        opts.log.warn({ err: describe(err) }, "database unreachable; serving the last config");
      }
      return false;
    }
  }

  /** Coalesces bursts: one reload at a time, and one more if asked while it ran. */
  function reload(): Promise<boolean> {
    if (running) {
      again = true;
      return running;
    }
    running = reloadOnce().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        void reload();
      }
    });
    return running;
  }

  async function poll() {
    try {
      const version = await getConfigVersion(opts.db.db);
      degraded = false;
      if (version !== snapshot.version) await reload();
    } catch (err) {
      if (!degraded)
        opts.log.warn({ err: describe(err) }, "database unreachable; serving the last config");
      degraded = true;
    }
  }

  const timer = setInterval(() => void poll(), opts.pollMs);
  timer.unref();
  const onMessage = (channel: string) => {
    if (channel === opts.channel) void reload();
  };
  if (opts.subscriber) {
    opts.subscriber.on("message", onMessage);
    await opts.subscriber.subscribe(opts.channel).catch((err: unknown) => {
      opts.log.warn({ err: describe(err) }, "cannot subscribe to config changes; polling only");
    });
  }

  return {
    current: () => snapshot,
    reload,
    health: () => (degraded ? "degraded" : "ok"),
    async close() {
      clearInterval(timer);
      opts.subscriber?.off("message", onMessage);
      await running;
    },
  };
}

async function loadSnapshot(opts: DbConfigSourceOptions, source: string): Promise<ConfigSnapshot> {
  const loaded = await loadConfigSnapshot(opts.db.db, { masterKey: opts.masterKey });
  return buildSnapshot(loaded.config, loaded.version, source, loaded.clientKeys.map(toKeyInfo));
}

function toKeyInfo(k: SnapshotClientKey): ClientKeyInfo {
  return {
    id: k.id,
    hash: k.hash,
    allowedChains: k.allowedChains,
    rpm: k.rpm,
    dailyTokens: k.dailyTokens,
    dailySpendMicros: k.dailySpendMicros,
    monthlySpendMicros: k.monthlySpendMicros,
    monthlyTokens: k.monthlyTokens,
    expiresAt: k.expiresAt ? k.expiresAt.getTime() : null,
    revoked: k.revoked,
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
