import { type Config, ConfigSchema } from "@429chain/contracts";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog } from "../schema";
import { loadExampleConfig, TEST_KEY_A } from "../testing/fixtures";
import { dumpTables, type OpenTestDb, openTestDb, TEST_BACKENDS } from "../testing/test-database";
import { createClientKey } from "./client-keys";
import { getConfigVersion } from "./config-version";
import { ConfigImportError } from "./errors";
import { exportConfig } from "./export-config";
import { importConfig } from "./import-config";
import { loadConfigSnapshot } from "./load-config-snapshot";

const opts = { masterKey: TEST_KEY_A, actor: "test" };

describe.each(TEST_BACKENDS)("importConfig / exportConfig on %s", (backend) => {
  let t: OpenTestDb;
  let example: Config;
  beforeAll(async () => {
    t = await openTestDb(backend, "import");
    example = await loadExampleConfig();
  });
  afterAll(() => t.cleanup());
  beforeEach(() => t.reset());

  it("imports the example config; the snapshot gives it back with keys decrypted", async () => {
    expect(await importConfig(t.db, example, opts)).toBe(1);
    const snapshot = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A });
    expect(snapshot.version).toBe(1);
    expect(snapshot.config).toEqual(example);
    expect(snapshot.clientKeys).toHaveLength(1);
    expect(snapshot.clientKeys[0]).toMatchObject({ source: "config", revoked: false });
  });

  it("re-imports an edited config over the old one and bumps the version each time", async () => {
    await importConfig(t.db, example, opts);
    const edited: Config = {
      ...example,
      settings: {
        ...example.settings,
        apiKeys: ["second-key", "first-key"],
        defaultChain: "smart",
      },
      providers: example.providers.filter((p) => p.id !== "openrouter"),
      chains: example.chains
        .filter((c) => c.name !== "free")
        .map((c) => ({ ...c, entries: [...c.entries].reverse() })),
    };
    expect(await importConfig(t.db, edited, opts)).toBe(2);
    const snapshot = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A });
    expect(snapshot.version).toBe(2);
    expect(snapshot.config).toEqual(edited);
    expect(snapshot.clientKeys.map((k) => k.source)).toEqual(["config", "config"]);
  });

  it("round-trips: export → import → export gives equal documents, with and without secrets", async () => {
    await importConfig(t.db, example, opts);
    for (const withSecrets of [true, false]) {
      const first = await exportConfig(t.db, { withSecrets, masterKey: TEST_KEY_A });
      const reparsed = ConfigSchema.parse(first.config);
      await importConfig(t.db, reparsed, opts);
      const second = await exportConfig(t.db, { withSecrets, masterKey: TEST_KEY_A });
      expect(second).toEqual(first);
    }
    const snapshot = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A });
    expect(snapshot.config).toEqual(example);
  });

  it("carries an embeddings chain's kind and dimensions through import, snapshot and export", async () => {
    const embed = {
      name: "embed",
      kind: "embeddings",
      dimensions: 768,
      entries: [
        { provider: "openai", model: "text-embedding-3-small" },
        { provider: "google", model: "gemini-embedding-001", enabled: false },
      ],
    };
    const config = ConfigSchema.parse({ ...example, chains: [...example.chains, embed] });
    await importConfig(t.db, config, opts);
    expect((await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A })).config).toEqual(config);

    const first = await exportConfig(t.db, { withSecrets: false });
    expect(first.config.chains.at(-1)).toEqual(embed);
    // Chat chains leave the default out, so a v1 file exports as it was written.
    for (const chain of first.config.chains.slice(0, -1)) {
      expect(Object.keys(chain)).toEqual(["name", "entries"]);
    }
    await importConfig(t.db, ConfigSchema.parse(first.config), opts);
    expect(await exportConfig(t.db, { withSecrets: false })).toEqual(first);

    // Imported again as a chat chain, it loses its dimensions.
    const chat = { name: "embed", entries: [{ provider: "openai", model: "gpt-4o-mini" }] };
    await importConfig(
      t.db,
      ConfigSchema.parse({ ...example, chains: [...example.chains, chat] }),
      opts,
    );
    const snapshot = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A });
    expect(snapshot.config.chains.at(-1)).toEqual({
      ...chat,
      kind: "chat",
      entries: [{ ...chat.entries[0], enabled: true }],
    });
  });

  it("carries a chain's affinity through import, snapshot and export, and drops it on re-import without", async () => {
    const [first, ...rest] = example.chains;
    const sticky = { ...first!, affinity: "conversation" as const };
    const config = ConfigSchema.parse({ ...example, chains: [sticky, ...rest] });
    await importConfig(t.db, config, opts);
    expect((await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A })).config).toEqual(config);
    const exported = await exportConfig(t.db, { withSecrets: false });
    expect(exported.config.chains[0]).toMatchObject({ affinity: "conversation" });
    expect(exported.config.chains.slice(1).filter((c) => "affinity" in c)).toEqual([]);
    await importConfig(t.db, ConfigSchema.parse(exported.config), opts);
    expect(await exportConfig(t.db, { withSecrets: false })).toEqual(exported);

    await importConfig(t.db, example, opts);
    const plain = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A });
    expect(plain.config.chains[0]).not.toHaveProperty("affinity");
  });

  it("carries prices, a provider's free tier, a budget and a reference price through import, snapshot and export", async () => {
    const [chain, ...rest] = example.chains;
    const [entry, ...entries] = chain!.entries;
    const priced = {
      ...chain!,
      budget: { dailyUsd: 0.5, monthlyUsd: 10 },
      referencePrice: "openai/gpt-4o",
      entries: [{ ...entry!, price: { inputPerMTok: 0.2, outputPerMTok: 0.6 } }, ...entries],
    };
    const config = ConfigSchema.parse({
      ...example,
      // The example marks its free tiers; here the first provider is paid, the rest free.
      providers: example.providers.map(({ free: _free, ...p }, i) =>
        i === 0 ? p : { ...p, free: true },
      ),
      chains: [priced, ...rest],
    });
    await importConfig(t.db, config, opts);
    expect((await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A })).config).toEqual(config);
    const exported = await exportConfig(t.db, { withSecrets: false });
    expect(exported.config.providers[0]).not.toHaveProperty("free");
    expect(exported.config.providers.slice(1).every((p) => p.free === true)).toBe(true);
    expect(exported.config.chains[0]).toMatchObject({
      budget: { dailyUsd: 0.5, monthlyUsd: 10 },
      referencePrice: "openai/gpt-4o",
    });
    expect(exported.config.chains[0]?.entries[0]).toMatchObject({
      price: { inputPerMTok: 0.2, outputPerMTok: 0.6 },
    });
  });

  it("refuses an embeddings chain on a provider type without an embeddings API, naming it", async () => {
    await importConfig(t.db, example, opts);
    const before = await dumpTables(t.db);
    // Typed as Config but never validated: importConfig must apply the schema's rule itself.
    const onGroq = {
      ...example,
      chains: [
        ...example.chains,
        {
          name: "embed",
          kind: "embeddings",
          entries: [{ provider: "groq", model: "m", enabled: true }],
        },
      ],
    } as Config;
    const error = await importConfig(t.db, onGroq, opts).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigImportError);
    expect(error.issues).toEqual([
      `chains.${example.chains.length}.entries.0.provider: provider "groq" is of type groq, which has no embeddings API`,
    ]);
    expect(await dumpTables(t.db)).toEqual(before);
  });

  it("an export without secrets shows placeholders only", async () => {
    await importConfig(t.db, example, opts);
    const exported = await exportConfig(t.db, { withSecrets: false });
    expect(exported.secrets).toBe("redacted");
    const text = JSON.stringify(exported.config);
    for (const p of example.providers) expect(text).not.toContain(p.apiKey);
    expect(text).not.toContain(example.settings.apiKeys[0]);
    expect(exported.config.providers[0]!.apiKey).toBe("<redacted:provider-key>");
  });

  it("refuses an invalid config before writing anything", async () => {
    await importConfig(t.db, example, opts);
    const before = await dumpTables(t.db);
    // Typed as Config but never validated: the schema's cross-reference check must catch it.
    const dangling = {
      ...example,
      chains: [{ name: "fast", entries: [{ provider: "nope", model: "m", enabled: true }] }],
    } as Config;
    await expect(importConfig(t.db, dangling, opts)).rejects.toThrow(ConfigImportError);
    await expect(importConfig(t.db, dangling, opts)).rejects.toThrow(/unknown provider "nope"/);
    expect(await dumpTables(t.db)).toEqual(before);
  });

  it("rolls back everything when a constraint fails mid-transaction", async () => {
    await importConfig(t.db, example, opts);
    const { key } = await createClientKey(t.db, { name: "issued" }, "test");
    const before = await dumpTables(t.db);
    // Providers, chains and settings are written before the keys; listing an issued key in
    // the file then trips the unique hash index, and all of it must roll back.
    const colliding: Config = {
      ...example,
      providers: example.providers.filter((p) => p.id !== "mistral"),
      chains: example.chains.map((c) => ({
        ...c,
        entries: c.entries.filter((e) => e.provider !== "mistral"),
      })),
      settings: { ...example.settings, apiKeys: ["fresh-key", key] },
    };
    const error = await importConfig(t.db, colliding, opts).catch((err: Error) => err);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error & { cause?: { code?: string } }).cause?.code).toBe("23505");
    expect(await dumpTables(t.db)).toEqual(before);
  });

  it("records masked before/after documents in the audit log", async () => {
    await importConfig(t.db, example, opts);
    await importConfig(t.db, example, opts);
    const rows = await t.db.select().from(auditLog).orderBy(auditLog.id);
    expect(rows.map((r) => [r.action, r.configVersion, r.actor])).toEqual([
      ["config.import", 1, "test"],
      ["config.import", 2, "test"],
    ]);
    expect(rows[0]!.before).toBeNull();
    expect(rows[1]!.before).toEqual(rows[1]!.after);
    const text = JSON.stringify(rows);
    for (const p of example.providers) expect(text).not.toContain(p.apiKey);
    expect(text).not.toContain(example.settings.apiKeys[0]);
  });

  it("keeps a stored client key's row when it is imported again", async () => {
    await importConfig(t.db, example, opts);
    const [first] = (await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A })).clientKeys;
    await t.db.execute(sql`UPDATE client_api_keys SET last_used_at = now()`);
    await importConfig(t.db, example, opts);
    const [again] = (await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A })).clientKeys;
    expect(again!.id).toBe(first!.id);
    expect(await getConfigVersion(t.db)).toBe(2);
  });
});
