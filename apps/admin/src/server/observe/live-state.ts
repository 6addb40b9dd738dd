import { ConfigSchema, type EntryState } from "@429chain/contracts";
import { ConfigSnapshotError, type Db, exportConfig, getConfigVersion } from "@429chain/db";
import type { QuotaStateReader } from "@429chain/quota";
import { publicCause } from "../../lib/errors";
import { type WatchedConfig, type WatchedEntry, watchedConfigOf } from "./watched-entries";

export type LiveEntry = EntryState & { label: string; chains: string[] };

export type LiveState =
  | { kind: "ok"; at: number; configVersion: number; entries: LiveEntry[] }
  /** The database holds no config yet, so there is nothing to watch. */
  | { kind: "no_config"; at: number }
  /** Postgres, Redis or the gateway failed; the message says which and why. */
  | { kind: "error"; at: number; message: string };

export interface LiveStateReader {
  read(): Promise<LiveState>;
  /** The entries of the current config (cached per config version). */
  entries(): Promise<WatchedEntry[] | null>;
  /** … and its chains; null while the database holds no config. */
  config(): Promise<WatchedConfig | null>;
}

export interface LiveStateReaderOptions {
  db: Db;
  quota: QuotaStateReader;
  /** Where `quota` reads, named in error messages; default "Redis". */
  source?: string;
  now?: () => number;
}

/**
 * Every entry's live state: entries from the config in Postgres (without decrypting any
 * secret; reloaded only when the config version moves), state from the gateways' Redis keys
 * or, without Redis, from a gateway's control API.
 */
export function createLiveStateReader(options: LiveStateReaderOptions): LiveStateReader {
  const now = options.now ?? Date.now;
  let cached: { version: number; watched: WatchedConfig | null } | null = null;

  async function config(): Promise<WatchedConfig | null> {
    // Version first: rows read after it are at least that new, so a change is never missed.
    const version = await getConfigVersion(options.db);
    if (cached?.version === version) return cached.watched;
    let watched: WatchedConfig | null;
    try {
      const exported = await exportConfig(options.db, { withSecrets: false });
      watched = watchedConfigOf(ConfigSchema.parse(exported.config));
    } catch (err) {
      if (!(err instanceof ConfigSnapshotError && err.code === "empty")) throw err;
      watched = null;
    }
    cached = { version, watched };
    return watched;
  }
  const entries = async () => (await config())?.entries ?? null;

  return {
    config,
    entries,
    async read() {
      let list: WatchedEntry[] | null;
      try {
        list = await entries();
      } catch (err) {
        return { kind: "error", at: now(), message: `cannot read the config: ${publicCause(err)}` };
      }
      if (list === null) return { kind: "no_config", at: now() };
      try {
        const states = await options.quota.entryStates(list.map((e) => e.policy));
        return {
          kind: "ok",
          at: now(),
          configVersion: cached?.version ?? 0,
          entries: states.map((s, i) => ({
            ...s,
            label: list[i]!.label,
            chains: list[i]!.chains,
          })),
        };
      } catch (err) {
        const source = options.source ?? "Redis";
        return { kind: "error", at: now(), message: `cannot read ${source}: ${publicCause(err)}` };
      }
    },
  };
}
