import { createDb, type DbHandle, getConfigVersion } from "@429chain/db";
import { describeError, errorCode } from "./describe-error";

/**
 * Opens DATABASE_URL for the first-run setup. Migrations are not run on start against a
 * server: a missing schema stops the launcher with the command that creates it.
 */
export async function openExternalDatabase(url: string): Promise<DbHandle> {
  const handle = await createDb({ url, pool: { max: 2, connectionTimeoutMillis: 5_000 } });
  try {
    await getConfigVersion(handle.db);
    return handle;
  } catch (err) {
    await handle.close();
    if (errorCode(err) === "42P01") {
      throw new Error(
        "the database at DATABASE_URL has no 429chain schema yet: run `pnpm cli migrate` with the same DATABASE_URL, then start again",
      );
    }
    throw new Error(`cannot use the database at DATABASE_URL: ${describeError(err)}`);
  }
}
