import type { ClientKeyUse } from "@429chain/db";
import type { FastifyBaseLogger } from "fastify";

/** Remembers when each client key was last used; written to Postgres in batches. */
export interface KeyUsageRecorder {
  touch(keyId: string): void;
  close(): Promise<void>;
}

export const NO_KEY_USAGE: KeyUsageRecorder = { touch() {}, async close() {} };

/**
 * DB mode: last-used times are kept in memory and written every `intervalMs` (and at
 * shutdown) in one statement, so Postgres is never on the request path. A failed write keeps
 * the times for the next attempt.
 */
export function createKeyUsageRecorder(opts: {
  write: (uses: ClientKeyUse[]) => Promise<void>;
  intervalMs: number;
  log: FastifyBaseLogger;
}): KeyUsageRecorder {
  let pending = new Map<string, number>();
  let writing: Promise<void> | undefined;

  async function flush(): Promise<void> {
    if (writing || pending.size === 0) return writing;
    const batch = pending;
    pending = new Map();
    writing = opts
      .write([...batch].map(([id, at]) => ({ id, at: new Date(at) })))
      .catch((err: unknown) => {
        for (const [id, at] of batch) if (!pending.has(id)) pending.set(id, at);
        opts.log.warn(
          { err: err instanceof Error ? err.message : String(err) },
          "cannot record key use",
        );
      })
      .finally(() => {
        writing = undefined;
      });
    return writing;
  }

  const timer = setInterval(() => void flush(), opts.intervalMs);
  timer.unref();
  return {
    touch(keyId) {
      pending.set(keyId, Date.now());
    },
    async close() {
      clearInterval(timer);
      await writing;
      await flush();
    },
  };
}
