import type { ConfigSnapshot } from "./snapshot";

/** Where the gateway's config comes from: a YAML file, or Postgres (DB mode). */
export interface ConfigSource {
  /** The snapshot in force; a request keeps the one it started with. */
  current(): ConfigSnapshot;
  /** Re-reads the source; an invalid result is logged and the old snapshot keeps serving. */
  reload(): Promise<boolean>;
  /** "degraded" while the source cannot be read (the last good snapshot keeps serving). */
  health(): "ok" | "degraded";
  close(): Promise<void>;
}
