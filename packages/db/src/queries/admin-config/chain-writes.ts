import { type Chain, ChainSchema, SettingsSchema } from "@429chain/contracts";
import { and, arrayContains, eq, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db, DbExecutor } from "../../create-db";
import { chainEntries, chains, clientApiKeys, type StoredSettings, settings } from "../../schema";
import { chainColumns, chainEntryRows } from "../chain-columns";
import { type AdminConfigOptions, validateDraft, writeConfigChange } from "./config-draft";
import { ChainInUseError, ConfigWriteError, invalidInput } from "./errors";

export type ChainInput = z.input<typeof ChainSchema>;
/**
 * The chain's entries in waterfall order (the list replaces the stored one), and its kind,
 * dimensions, affinity, budget and reference price: left out, they keep what the chain has;
 * null clears them.
 */
export interface ChainUpdateInput {
  entries: ChainInput["entries"];
  kind?: ChainInput["kind"];
  dimensions?: number | null;
  affinity?: ChainInput["affinity"] | null;
  budget?: ChainInput["budget"] | null;
  referencePrice?: ChainInput["referencePrice"] | null;
}

interface ChainWriteResult {
  chain: string;
}

type Result = Promise<ChainWriteResult & { version: number }>;

function parseChain(input: ChainInput, what: string): Chain {
  const parsed = ChainSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(what, parsed.error.issues);
  return parsed.data;
}

async function writeEntries(tx: DbExecutor, chain: Chain): Promise<void> {
  await tx.delete(chainEntries).where(eq(chainEntries.chainName, chain.name));
  await tx.insert(chainEntries).values(chainEntryRows(chain));
}

/** The first chain also becomes the default chain, since a config needs one. */
export async function createChain(db: Db, input: ChainInput, options: AdminConfigOptions): Result {
  const chain = parseChain(input, "chain");
  return writeConfigChange(db, options.actor, async (tx, draft) => {
    const index = draft.chains.length;
    const initial = draft.settings ? null : SettingsSchema.parse({ defaultChain: chain.name });
    const next = {
      ...draft,
      chains: [...draft.chains, chain],
      settings: initial ?? draft.settings,
    };
    validateDraft(next, "chain", ["chains", index]);
    if (initial) {
      const { apiKeys: _, ...stored } = initial;
      await tx.insert(settings).values({ id: true, data: stored });
    }
    const [last] = await tx
      .select({ position: sql<number>`coalesce(max(${chains.position}), -1)` })
      .from(chains);
    await tx.insert(chains).values({
      name: chain.name,
      position: Number(last!.position) + 1,
      ...chainColumns(chain),
    });
    await writeEntries(tx, chain);
    return {
      action: "chain.create",
      target: `chain:${chain.name}`,
      after: initial ? { ...chain, default: true } : chain,
      result: { chain: chain.name },
    };
  });
}

export async function updateChain(
  db: Db,
  name: string,
  input: ChainUpdateInput,
  options: AdminConfigOptions,
): Result {
  return writeConfigChange(db, options.actor, async (tx, draft) => {
    const index = draft.chains.findIndex((c) => c.name === name);
    if (index < 0) throw new ConfigWriteError("not_found", `no chain "${name}"`);
    const before = draft.chains[index]!;
    const chain = parseChain(
      {
        name,
        entries: input.entries,
        kind: input.kind ?? before.kind,
        dimensions:
          input.dimensions === undefined ? before.dimensions : (input.dimensions ?? undefined),
        affinity: input.affinity === undefined ? before.affinity : (input.affinity ?? undefined),
        budget: input.budget === undefined ? before.budget : (input.budget ?? undefined),
        referencePrice:
          input.referencePrice === undefined
            ? before.referencePrice
            : (input.referencePrice ?? undefined),
      },
      `chain ${name}`,
    );
    const next = { ...draft, chains: draft.chains.with(index, chain) };
    validateDraft(next, `chain ${name}`, ["chains", index]);
    await writeEntries(tx, chain);
    await tx
      .update(chains)
      .set({ ...chainColumns(chain), updatedAt: sql`now()` })
      .where(eq(chains.name, name));
    return {
      action: "chain.update",
      target: `chain:${name}`,
      before,
      after: chain,
      result: { chain: name },
    };
  });
}

/** The default chain cannot be deleted: make another chain the default first. */
export async function deleteChain(db: Db, name: string, options: AdminConfigOptions): Result {
  return writeConfigChange(db, options.actor, async (tx, draft) => {
    const before = draft.chains.find((c) => c.name === name);
    if (!before) throw new ConfigWriteError("not_found", `no chain "${name}"`);
    if (draft.settings?.defaultChain === name) {
      throw new ConfigWriteError(
        "default_chain",
        `chain ${name} is the default chain: make another chain the default before deleting it`,
      );
    }
    // A key limited to chains would silently lose this one; say which keys instead.
    const keys = await tx
      .select({ name: clientApiKeys.name })
      .from(clientApiKeys)
      .where(
        and(isNull(clientApiKeys.revokedAt), arrayContains(clientApiKeys.allowedChains, [name])),
      )
      .orderBy(clientApiKeys.name);
    if (keys.length > 0)
      throw new ChainInUseError(
        name,
        keys.map((k) => k.name),
      );
    await tx.delete(chains).where(eq(chains.name, name));
    return { action: "chain.delete", target: `chain:${name}`, before, result: { chain: name } };
  });
}

export async function setDefaultChain(db: Db, name: string, options: AdminConfigOptions): Result {
  return writeConfigChange(db, options.actor, async (tx, draft) => {
    if (!draft.chains.some((c) => c.name === name)) {
      throw new ConfigWriteError("not_found", `no chain "${name}"`);
    }
    const previous = draft.rows.settings!;
    const data: StoredSettings = { ...previous, defaultChain: name };
    await tx.update(settings).set({ data, updatedAt: sql`now()` }).where(eq(settings.id, true));
    return {
      action: "settings.default_chain",
      target: "settings",
      before: { defaultChain: previous.defaultChain },
      after: { defaultChain: name },
      result: { chain: name },
    };
  });
}
