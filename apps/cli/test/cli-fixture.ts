import { createDb, type DbHandle } from "@429chain/db";
import { createTestDatabase, type TestDatabase } from "@429chain/db/testing";
import { createTestRedis, TEST_REDIS_URL, type TestRedis } from "@429chain/testing";
import { type ConfigChangedListener, listenForConfigChanged } from "./config-changed-listener";
import { EXAMPLE_CONFIG, newMasterKey } from "./paths";
import { runCli } from "./run-cli";

export interface CliFixture {
  /** The CLI's whole environment: its own database, Redis prefix and master key. */
  env: Record<string, string>;
  masterKey: string;
  /** The same database, opened by the test to check what the CLI wrote. */
  handle: DbHandle;
  listener: ConfigChangedListener;
  close(): Promise<void>;
}

/**
 * A fresh database and Redis prefix for one test file, listening on its config-changed
 * channel. `imported`: migrated and holding the example config (version 1) already.
 */
export async function openCliFixture(label: string, imported: boolean): Promise<CliFixture> {
  const masterKey = newMasterKey();
  const database: TestDatabase = await createTestDatabase(label);
  const handle = await createDb({ url: database.url });
  const redis: TestRedis = await createTestRedis(label);
  const listener = await listenForConfigChanged(redis.redis, redis.prefix);
  const env = {
    DATABASE_URL: database.url,
    MASTER_KEY: masterKey,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: redis.prefix,
  };
  const close = async () => {
    listener.close();
    await redis.cleanup();
    await handle.close();
    await database.drop();
  };
  if (imported) {
    for (const args of [["migrate"], ["config", "import", EXAMPLE_CONFIG]]) {
      const result = await runCli(args, { env });
      if (result.code !== 0) {
        await close();
        throw new Error(`429chain ${args.join(" ")} failed: ${result.stderr}`);
      }
    }
    await listener.next();
  }
  return { env, masterKey, handle, listener, close };
}
