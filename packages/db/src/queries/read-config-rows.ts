import { asc, eq } from "drizzle-orm";
import type { DbExecutor } from "../create-db";
import { chainEntries, chains, clientApiKeys, providers, settings } from "../schema";

export type ConfigRows = Awaited<ReturnType<typeof readConfigRows>>;

/** Every row a config document is made of, in document order. */
export async function readConfigRows(tx: DbExecutor) {
  const [settingsRows, providerRows, chainRows, entryRows, configKeyRows] = [
    await tx.select().from(settings),
    await tx.select().from(providers).orderBy(asc(providers.position), asc(providers.id)),
    await tx.select().from(chains).orderBy(asc(chains.position), asc(chains.name)),
    await tx
      .select()
      .from(chainEntries)
      .orderBy(asc(chainEntries.chainName), asc(chainEntries.position)),
    await tx
      .select()
      .from(clientApiKeys)
      .where(eq(clientApiKeys.source, "config"))
      .orderBy(asc(clientApiKeys.configPosition)),
  ];
  return {
    settings: settingsRows[0]?.data ?? null,
    providers: providerRows,
    chains: chainRows,
    entries: entryRows,
    configKeys: configKeyRows,
  };
}
