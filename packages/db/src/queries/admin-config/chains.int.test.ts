import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog } from "../../schema";
import { TEST_KEY_A } from "../../testing/fixtures";
import { dumpTables, type OpenTestDb, openTestDb } from "../../testing/test-database";
import { createClientKey, revokeClientKey } from "../client-keys";
import { getConfigVersion } from "../config-version";
import { loadConfigSnapshot } from "../load-config-snapshot";
import { listChains } from "./chain-view";
import { createChain, deleteChain, setDefaultChain, updateChain } from "./chain-writes";
import { ChainInUseError, ConfigWriteError } from "./errors";
import { createProvider, setProviderEnabled } from "./provider-writes";

const opts = { masterKey: TEST_KEY_A, actor: "admin@example.com" };
const KEYS = { groq: "gsk_groq_secret_value_0001", cerebras: "csk_cerebras_secret_value_2" };

describe("admin chain writes on postgres", () => {
  let t: OpenTestDb;
  beforeAll(async () => {
    t = await openTestDb("postgres", "admin_chains");
  });
  afterAll(() => t.cleanup());
  beforeEach(async () => {
    await t.reset();
    await createProvider(t.db, { id: "groq", name: "Groq", type: "groq", apiKey: KEYS.groq }, opts);
    await createProvider(
      t.db,
      { id: "cerebras", name: "Cerebras", type: "cerebras", apiKey: KEYS.cerebras },
      opts,
    );
  });

  const audits = () => t.db.select().from(auditLog).orderBy(auditLog.id);
  const fast = {
    name: "fast",
    entries: [
      { provider: "groq", model: "llama-3.3-70b" },
      { provider: "cerebras", model: "llama3.1-8b" },
    ],
  };

  it("builds a config the gateway loads: the first chain becomes the default", async () => {
    expect(await createChain(t.db, fast, opts)).toEqual({ chain: "fast", version: 3 });
    const snapshot = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A });
    expect(snapshot.version).toBe(3);
    expect(snapshot.config.settings.defaultChain).toBe("fast");
    expect(snapshot.config.providers.map((p) => [p.id, p.apiKey])).toEqual([
      ["groq", KEYS.groq],
      ["cerebras", KEYS.cerebras],
    ]);
    expect(snapshot.config.chains).toEqual([
      { name: "fast", kind: "chat", entries: fast.entries.map((e) => ({ ...e, enabled: true })) },
    ]);
    const [, , created] = await audits();
    expect(created).toMatchObject({
      action: "chain.create",
      target: "chain:fast",
      configVersion: 3,
    });
  });

  it("reorders, disables and adds entries; the snapshot serves the new order", async () => {
    await createChain(t.db, fast, opts);
    const entries = [
      { provider: "cerebras", model: "llama3.1-8b" },
      { provider: "groq", model: "llama-3.3-70b", enabled: false },
      { provider: "groq", model: "gemma2-9b" },
    ];
    expect(await updateChain(t.db, "fast", { entries }, opts)).toEqual({
      chain: "fast",
      version: 4,
    });
    const snapshot = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A });
    expect(snapshot.config.chains[0]!.entries).toEqual([
      { provider: "cerebras", model: "llama3.1-8b", enabled: true },
      { provider: "groq", model: "llama-3.3-70b", enabled: false },
      { provider: "groq", model: "gemma2-9b", enabled: true },
    ]);
    const last = (await audits()).at(-1)!;
    expect(last).toMatchObject({ action: "chain.update", configVersion: 4, before: fast });
    await setProviderEnabled(t.db, "groq", false, opts);
    const list = await listChains(t.db);
    expect(list.chains[0]!.entries.map((e) => e.providerEnabled)).toEqual([true, false, false]);
  });

  it("refuses invalid chains with field paths and leaves the database unchanged", async () => {
    await createChain(t.db, fast, opts);
    const before = await dumpTables(t.db);
    const unknown = {
      entries: [
        { provider: "groq", model: "a" },
        { provider: "ghost", model: "b" },
      ],
    };
    const error = await updateChain(t.db, "fast", unknown, opts).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigWriteError);
    expect(error.issues).toEqual([
      { path: "entries.1.provider", message: 'unknown provider "ghost"' },
    ]);
    expect(error.message).toBe(
      'chain fast is invalid: entries.1.provider: unknown provider "ghost"',
    );
    const empty = await createChain(t.db, { name: "x", entries: [] }, opts).catch((e) => e);
    expect(empty.fieldErrors).toEqual({ entries: ["must have at least one entry"] });
    const blank = await updateChain(
      t.db,
      "fast",
      { entries: [{ provider: "groq", model: "" }] },
      opts,
    ).catch((e) => e);
    expect(blank.issues[0].path).toBe("entries.0.model");
    const duplicate = await createChain(t.db, fast, opts).catch((e) => e);
    expect(duplicate.issues).toEqual([{ path: "name", message: 'duplicate chain name "fast"' }]);
    expect(await dumpTables(t.db)).toEqual(before);
  });

  const embed = {
    name: "embed",
    kind: "embeddings" as const,
    dimensions: 512,
    entries: [{ provider: "openai", model: "text-embedding-3-small" }],
  };
  const addOpenAi = () =>
    createProvider(t.db, { id: "openai", name: "OpenAI", type: "openai", apiKey: "sk-o" }, opts);

  it("stores an embeddings chain's kind and dimensions; an update keeps them unless given", async () => {
    await addOpenAi();
    await createChain(t.db, fast, opts);
    await createChain(t.db, embed, opts);
    const served = async () =>
      (await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A })).config.chains[1];
    expect(await served()).toMatchObject({ name: "embed", kind: "embeddings", dimensions: 512 });
    expect((await listChains(t.db)).chains.map((c) => [c.name, c.kind, c.dimensions])).toEqual([
      ["fast", "chat", null],
      ["embed", "embeddings", 512],
    ]);

    const entries = [...embed.entries, { provider: "openai", model: "text-embedding-3-large" }];
    await updateChain(t.db, "embed", { entries }, opts);
    expect(await served()).toMatchObject({ kind: "embeddings", dimensions: 512 });
    await updateChain(t.db, "embed", { entries, dimensions: 256 }, opts);
    expect(await served()).toMatchObject({ kind: "embeddings", dimensions: 256 });
    expect((await audits()).at(-1)).toMatchObject({
      action: "chain.update",
      before: { kind: "embeddings", dimensions: 512 },
      after: { kind: "embeddings", dimensions: 256 },
    });
    await updateChain(t.db, "embed", { entries, kind: "chat", dimensions: null }, opts);
    const chat = await served();
    expect(chat).toMatchObject({ kind: "chat" });
    expect(chat).not.toHaveProperty("dimensions");
  });

  it("refuses kinds and dimensions the config schema refuses, with field paths", async () => {
    await addOpenAi();
    await createChain(t.db, fast, opts);
    await createChain(t.db, embed, opts);
    const before = await dumpTables(t.db);
    const onGroq = { ...embed, name: "embed2", entries: [...embed.entries, fast.entries[0]!] };
    const groq = await createChain(t.db, onGroq, opts).catch((e) => e);
    expect(groq).toBeInstanceOf(ConfigWriteError);
    expect(groq.message).toBe(
      'chain is invalid: entries.1.provider: provider "groq" is of type groq, which has no embeddings API',
    );
    const toGroq = await updateChain(t.db, "embed", { entries: fast.entries }, opts).catch(
      (e) => e,
    );
    expect(toGroq.fieldErrors).toEqual({
      "entries.0.provider": ['provider "groq" is of type groq, which has no embeddings API'],
      "entries.1.provider": [
        'provider "cerebras" is of type cerebras, which has no embeddings API',
      ],
    });
    const chatDimensions = await updateChain(
      t.db,
      "fast",
      { entries: fast.entries, dimensions: 64 },
      opts,
    ).catch((e) => e);
    expect(chatDimensions.issues).toEqual([
      { path: "dimensions", message: "is only for chains of kind embeddings" },
    ]);
    // Made a chat chain, it keeps its dimensions unless told to drop them.
    const kindOnly = await updateChain(
      t.db,
      "embed",
      { entries: embed.entries, kind: "chat" },
      opts,
    ).catch((e) => e);
    expect(kindOnly.fieldErrors).toEqual({ dimensions: ["is only for chains of kind embeddings"] });
    const zero = await createChain(t.db, { ...embed, name: "e0", dimensions: 0 }, opts).catch(
      (e) => e,
    );
    expect(Object.keys(zero.fieldErrors)).toEqual(["dimensions"]);
    expect(await dumpTables(t.db)).toEqual(before);
  });

  it("stores a chat chain's affinity; an update keeps it unless given, null clears it", async () => {
    await createChain(t.db, { ...fast, affinity: "conversation" }, opts);
    const served = async () =>
      (await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A })).config.chains[0];
    expect(await served()).toMatchObject({ name: "fast", affinity: "conversation" });
    expect((await listChains(t.db)).chains.map((c) => c.affinity)).toEqual(["conversation"]);

    await updateChain(t.db, "fast", { entries: fast.entries }, opts);
    expect(await served()).toMatchObject({ affinity: "conversation" });
    await updateChain(t.db, "fast", { entries: fast.entries, affinity: null }, opts);
    expect(await served()).not.toHaveProperty("affinity");
    expect((await audits()).at(-1)).toMatchObject({
      action: "chain.update",
      before: { affinity: "conversation" },
      after: { name: "fast" },
    });
    await updateChain(t.db, "fast", { entries: fast.entries, affinity: "conversation" }, opts);
    expect((await listChains(t.db)).chains.map((c) => c.affinity)).toEqual(["conversation"]);
  });

  it("stores a budget, a reference price and entry prices; refuses a budget over an unpriced entry", async () => {
    await createChain(t.db, fast, opts);
    const unpriced = await updateChain(
      t.db,
      "fast",
      { entries: fast.entries, budget: { dailyUsd: 1 } },
      opts,
    ).catch((e) => e);
    expect(Object.keys(unpriced.fieldErrors)).toEqual(["entries.0.price"]);
    expect(unpriced.fieldErrors["entries.0.price"][0]).toContain("is not in the price table");

    const price = { inputPerMTok: 0.5, outputPerMTok: 1 };
    const priced = [{ ...fast.entries[0]!, price }, fast.entries[1]!];
    const budget = { dailyUsd: 1, monthlyUsd: 10 };
    await updateChain(
      t.db,
      "fast",
      { entries: priced, budget, referencePrice: "openai/gpt-4o" },
      opts,
    );
    const [listed] = (await listChains(t.db)).chains;
    expect(listed).toMatchObject({ budget, referencePrice: "openai/gpt-4o" });
    expect(listed?.entries[0]).toMatchObject({ price });
    // Left out, they are kept; null clears them.
    await updateChain(t.db, "fast", { entries: priced }, opts);
    expect((await listChains(t.db)).chains[0]).toMatchObject({ budget });
    await updateChain(t.db, "fast", { entries: priced, budget: null, referencePrice: null }, opts);
    expect((await listChains(t.db)).chains[0]).toMatchObject({
      budget: null,
      referencePrice: null,
    });
  });

  it("refuses an affinity on an embeddings chain and an unknown affinity, with field paths", async () => {
    await addOpenAi();
    await createChain(t.db, embed, opts);
    const before = await dumpTables(t.db);
    const onEmbed = await updateChain(
      t.db,
      "embed",
      { entries: embed.entries, affinity: "conversation" },
      opts,
    ).catch((e) => e);
    expect(onEmbed.fieldErrors).toEqual({
      affinity: ["is only for chains of kind chat (an embedding has no conversation)"],
    });
    const unknown = await createChain(
      t.db,
      { ...fast, affinity: "sticky" as unknown as "conversation" },
      opts,
    ).catch((e) => e);
    expect(Object.keys(unknown.fieldErrors)).toEqual(["affinity"]);
    expect(await dumpTables(t.db)).toEqual(before);
  });

  it("refuses to delete a chain live keys are limited to, naming them", async () => {
    await createChain(t.db, fast, opts);
    await createChain(t.db, { name: "cheap", entries: [{ provider: "groq", model: "m" }] }, opts);
    await createClientKey(t.db, { name: "ci", chains: ["cheap"] }, "test");
    const { record } = await createClientKey(
      t.db,
      { name: "batch", chains: ["fast", "cheap"] },
      "test",
    );
    await createClientKey(t.db, { name: "any" }, "test");
    const before = await dumpTables(t.db);
    const error = await deleteChain(t.db, "cheap", opts).catch((e) => e);
    expect(error).toBeInstanceOf(ChainInUseError);
    expect(error.message).toBe(
      "chain cheap is allowed for API keys batch, ci: change or revoke them before deleting it",
    );
    expect(await dumpTables(t.db)).toEqual(before);
    await revokeClientKey(t.db, record.id, "test");
    const again = await deleteChain(t.db, "cheap", opts).catch((e) => e);
    expect(again.message).toBe(
      "chain cheap is allowed for API key ci: change or revoke them before deleting it",
    );
  });

  it("sets the default chain and refuses to delete it", async () => {
    await createChain(t.db, fast, opts);
    await createChain(t.db, { name: "cheap", entries: [{ provider: "groq", model: "m" }] }, opts);
    const before = await dumpTables(t.db);
    const error = await deleteChain(t.db, "fast", opts).catch((e) => e);
    expect(error).toMatchObject({
      code: "default_chain",
      message: "chain fast is the default chain: make another chain the default before deleting it",
    });
    expect(await dumpTables(t.db)).toEqual(before);

    expect(await setDefaultChain(t.db, "cheap", opts)).toEqual({ chain: "cheap", version: 5 });
    expect((await audits()).at(-1)).toMatchObject({
      action: "settings.default_chain",
      before: { defaultChain: "fast" },
      after: { defaultChain: "cheap" },
    });
    expect(await deleteChain(t.db, "fast", opts)).toEqual({ chain: "fast", version: 6 });
    const list = await listChains(t.db);
    expect(list).toEqual({
      defaultChain: "cheap",
      chains: [
        {
          name: "cheap",
          kind: "chat",
          dimensions: null,
          affinity: null,
          budget: null,
          referencePrice: null,
          isDefault: true,
          entries: [{ provider: "groq", model: "m", enabled: true, providerEnabled: true }],
        },
      ],
    });
    const snapshot = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A });
    expect(snapshot.config.settings.defaultChain).toBe("cheap");
    expect(await getConfigVersion(t.db)).toBe(6);
  });

  it("reports unknown chains as not found without bumping the version", async () => {
    await createChain(t.db, fast, opts);
    for (const write of [
      () => deleteChain(t.db, "nope", opts),
      () => setDefaultChain(t.db, "nope", opts),
      () => updateChain(t.db, "nope", { entries: fast.entries }, opts),
    ]) {
      await expect(write()).rejects.toMatchObject({
        code: "not_found",
        message: 'no chain "nope"',
      });
    }
    expect(await getConfigVersion(t.db)).toBe(3);
  });

  it("never writes a provider key into the audit log or the chain list", async () => {
    await createChain(t.db, fast, opts);
    await updateChain(t.db, "fast", { entries: [...fast.entries].reverse() }, opts);
    const text = JSON.stringify([await audits(), await listChains(t.db)]);
    for (const key of Object.values(KEYS)) expect(text).not.toContain(key);
  });
});
