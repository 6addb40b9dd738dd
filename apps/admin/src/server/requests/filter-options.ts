import "server-only";
import { ConfigSnapshotError, type Db, exportConfig, listClientKeys } from "@429chain/db";

export interface FilterOptions {
  chains: string[];
  /** settings.defaultChain, when the config has one. */
  defaultChain: string | null;
  providers: string[];
  keys: { id: string; label: string }[];
}

/** Names for filter and chain pickers, from the stored config (no secret is decrypted). */
export async function loadFilterOptions(db: Db): Promise<FilterOptions> {
  const [config, keys] = await Promise.all([
    exportConfig(db, { withSecrets: false }).then(
      (e) => e.config,
      (err: unknown) => {
        if (err instanceof ConfigSnapshotError && err.code === "empty") return null;
        throw err;
      },
    ),
    listClientKeys(db),
  ]);
  return {
    chains: config?.chains.map((c) => c.name) ?? [],
    defaultChain: config?.settings?.defaultChain ?? null,
    providers: config?.providers.map((p) => p.id) ?? [],
    keys: keys.map((k) => ({
      id: k.id,
      label: `${k.name} (${k.displayPrefix}…)${k.revokedAt ? " revoked" : ""}`,
    })),
  };
}
