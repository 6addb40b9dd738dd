import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, providers } from "../../schema";
import { TEST_KEY_A, TEST_KEY_B } from "../../testing/fixtures";
import { dumpTables, type OpenTestDb, openTestDb } from "../../testing/test-database";
import { getConfigVersion } from "../config-version";
import { createChain } from "./chain-writes";
import { ConfigWriteError, ProviderInUseError } from "./errors";
import { getProvider, listProviders, readProviderConfig } from "./provider-view";
import {
  createProvider,
  deleteProvider,
  type ProviderInput,
  setProviderEnabled,
  updateProvider,
} from "./provider-writes";

const opts = { masterKey: TEST_KEY_A, actor: "admin@example.com" };
const GROQ_KEY = "gsk_live_secret_groq_key_1234";
const NEW_KEY = "gsk_live_replacement_key_9876";

const groq: ProviderInput = {
  id: "groq-free",
  name: "Groq free",
  type: "groq",
  apiKey: GROQ_KEY,
  headers: { "x-team": "blue" },
  timeout: 20_000,
  timeouts: { connectMs: 2_000, firstByteMs: 8_000 },
  rateLimits: { requestsPerMinute: 30, requestsPerDay: 14_400 },
  modelRateLimits: { "llama-3.3-70b-versatile": { tokensPerDay: 100_000 } },
};

describe("admin provider writes on postgres", () => {
  let t: OpenTestDb;
  beforeAll(async () => {
    t = await openTestDb("postgres", "admin_providers");
  });
  afterAll(() => t.cleanup());
  beforeEach(() => t.reset());

  const audits = () => t.db.select().from(auditLog).orderBy(auditLog.id);

  it("creates a provider: version bumped, audited without the key, listed masked", async () => {
    const result = await createProvider(t.db, groq, opts);
    expect(result).toEqual({ providerId: "groq-free", version: 1 });
    expect(await getConfigVersion(t.db)).toBe(1);
    const [entry] = await audits();
    expect(entry).toMatchObject({
      actor: "admin@example.com",
      action: "provider.create",
      target: "provider:groq-free",
      configVersion: 1,
    });
    expect(entry!.after).toMatchObject({ id: "groq-free", apiKey: "<redacted:provider-key>" });
    const [view] = await listProviders(t.db, opts);
    expect(view).toMatchObject({
      id: "groq-free",
      type: "groq",
      maskedApiKey: "••••1234",
      headers: { "x-team": "blue" },
      timeout: 20_000,
      rateLimits: { requestsPerMinute: 30, requestsPerDay: 14_400 },
      enabled: true,
      usedByChains: [],
    });
    expect(JSON.stringify([view, await audits()])).not.toContain(GROQ_KEY);
    expect(JSON.stringify(await dumpTables(t.db))).not.toContain(GROQ_KEY);
    expect((await readProviderConfig(t.db, "groq-free", opts)).apiKey).toBe(GROQ_KEY);
  });

  it("updates every field; an omitted or redacted key keeps the stored one", async () => {
    await createProvider(t.db, groq, opts);
    const [before] = await t.db.select().from(providers);
    const { id: _, apiKey: __, ...rest } = groq;
    for (const apiKey of [undefined, "", "<redacted:provider-key>"]) {
      await updateProvider(t.db, "groq-free", { ...rest, apiKey, name: "Groq" }, opts);
    }
    const [after] = await t.db.select().from(providers);
    expect(after!.apiKeyCiphertext).toBe(before!.apiKeyCiphertext);
    expect(after!.name).toBe("Groq");
    const update = {
      name: "Groq paid",
      type: "generic-openai" as const,
      baseUrl: "http://127.0.0.1:9/v1",
      apiKey: NEW_KEY,
    };
    expect((await updateProvider(t.db, "groq-free", update, opts)).version).toBe(5);
    const view = await getProvider(t.db, "groq-free", opts);
    expect(view).toMatchObject({ name: "Groq paid", type: "generic-openai", headers: null });
    expect(view.maskedApiKey).toBe("••••9876");
    expect((await readProviderConfig(t.db, "groq-free", opts)).apiKey).toBe(NEW_KEY);
    const last = (await audits()).at(-1)!;
    expect(last.action).toBe("provider.update");
    expect(last.after).toMatchObject({ apiKey: "<redacted:provider-key:replaced>" });
    expect(JSON.stringify(await audits())).not.toContain(NEW_KEY);
  });

  it("refuses invalid input with field paths, writing nothing", async () => {
    await createProvider(t.db, groq, opts);
    const before = await dumpTables(t.db);
    const bad = { ...groq, id: "other", type: "generic-openai" as const, timeout: 10 };
    const error = await createProvider(t.db, bad, opts).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigWriteError);
    expect(error.code).toBe("invalid");
    expect(error.fieldErrors).toEqual({
      baseUrl: ["is required for type generic-openai"],
      timeout: ["Too small: expected number to be >=1000"],
    });
    const duplicate = await createProvider(t.db, groq, opts).catch((e) => e);
    expect(duplicate.issues).toEqual([
      { path: "id", message: 'duplicate provider id "groq-free"' },
    ]);
    const badUrl = await updateProvider(
      t.db,
      "groq-free",
      { ...groq, baseUrl: "ftp://x" },
      opts,
    ).catch((e) => e);
    expect(badUrl.fieldErrors).toEqual({ baseUrl: ["must be an http(s) URL"] });
    expect(await dumpTables(t.db)).toEqual(before);
  });

  it("disables and enables, each a versioned, audited change", async () => {
    await createProvider(t.db, groq, opts);
    await setProviderEnabled(t.db, "groq-free", false, opts);
    expect((await getProvider(t.db, "groq-free", opts)).enabled).toBe(false);
    const { version } = await setProviderEnabled(t.db, "groq-free", true, opts);
    expect(version).toBe(3);
    expect((await audits()).map((a) => a.action)).toEqual([
      "provider.create",
      "provider.disable",
      "provider.enable",
    ]);
  });

  it("refuses to delete a provider chains use, naming them; deletes it once unused", async () => {
    await createProvider(t.db, groq, opts);
    await createChain(
      t.db,
      { name: "fast", entries: [{ provider: "groq-free", model: "a" }] },
      opts,
    );
    await createChain(
      t.db,
      { name: "cheap", entries: [{ provider: "groq-free", model: "b" }] },
      opts,
    );
    const before = await dumpTables(t.db);
    const error = await deleteProvider(t.db, "groq-free", opts).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderInUseError);
    expect(error.message).toBe("provider groq-free is used by chains fast, cheap");
    expect(error.chains).toEqual(["fast", "cheap"]);
    expect(await dumpTables(t.db)).toEqual(before);
    expect((await getProvider(t.db, "groq-free", opts)).usedByChains).toEqual(["fast", "cheap"]);

    await createProvider(t.db, { ...groq, id: "spare" }, opts);
    const { version } = await deleteProvider(t.db, "spare", opts);
    expect(version).toBe(5);
    const last = (await audits()).at(-1)!;
    expect(last).toMatchObject({
      action: "provider.delete",
      target: "provider:spare",
      after: null,
    });
    expect((await listProviders(t.db, opts)).map((p) => p.id)).toEqual(["groq-free"]);
  });

  it("reports unknown providers as not found", async () => {
    for (const write of [
      () => setProviderEnabled(t.db, "nope", false, opts),
      () => deleteProvider(t.db, "nope", opts),
      () => updateProvider(t.db, "nope", { name: "x", type: "groq" }, opts),
    ]) {
      await expect(write()).rejects.toMatchObject({
        code: "not_found",
        message: 'no provider "nope"',
      });
    }
    expect(await getConfigVersion(t.db)).toBe(0);
  });

  it("masks a key it cannot decrypt without failing the list", async () => {
    await createProvider(t.db, groq, opts);
    const [view] = await listProviders(t.db, { masterKey: TEST_KEY_B });
    expect(view!.maskedApiKey).toMatch(/^\(cannot decrypt: secret was encrypted with master key/);
  });

  it("keeps the stored row when a key is replaced but the write is refused", async () => {
    await createProvider(t.db, groq, opts);
    const [before] = await t.db.select().from(providers).where(eq(providers.id, "groq-free"));
    const bad = { name: "", type: "groq" as const, apiKey: NEW_KEY };
    await expect(updateProvider(t.db, "groq-free", bad, opts)).rejects.toMatchObject({
      issues: [{ path: "name", message: "Too small: expected string to have >=1 characters" }],
    });
    const [after] = await t.db.select().from(providers).where(eq(providers.id, "groq-free"));
    expect(after).toEqual(before);
  });

  it("treats credential headers like the key: encrypted, masked, kept on a placeholder, never audited", async () => {
    const TOKEN = "Bearer header-secret-token-5678";
    const API = "header-secret-api-key-4321";
    const { id: _, apiKey: __, ...rest } = groq;
    await createProvider(
      t.db,
      { ...groq, headers: { "x-team": "blue", Authorization: TOKEN, "X-Api-Key": API } },
      opts,
    );
    const view = await getProvider(t.db, "groq-free", opts);
    expect(view.headers).toEqual({
      "x-team": "blue",
      Authorization: "••••5678",
      "X-Api-Key": "••••4321",
    });
    expect(view.credentialHeaders.sort()).toEqual(["Authorization", "X-Api-Key"]);

    // The form sends a credential it left alone as the placeholder, and a replaced one as is.
    const NEW_API = "header-replaced-api-key-0000";
    await updateProvider(
      t.db,
      "groq-free",
      {
        ...rest,
        headers: {
          "x-team": "red",
          Authorization: "<redacted:provider-header>",
          "X-Api-Key": NEW_API,
        },
      },
      opts,
    );
    expect((await readProviderConfig(t.db, "groq-free", opts)).headers).toEqual({
      "x-team": "red",
      Authorization: TOKEN,
      "X-Api-Key": NEW_API,
    });
    const last = (await audits()).at(-1)!;
    expect(last.before).toMatchObject({
      headers: {
        Authorization: "<redacted:provider-header>",
        "X-Api-Key": "<redacted:provider-header>",
      },
    });
    expect(last.after).toMatchObject({
      headers: {
        "x-team": "red",
        Authorization: "<redacted:provider-header>",
        "X-Api-Key": "<redacted:provider-header:replaced>",
      },
    });
    const everything = JSON.stringify([await dumpTables(t.db), await listProviders(t.db, opts)]);
    for (const secret of [TOKEN, API, NEW_API]) expect(everything).not.toContain(secret);

    // Disabling, deleting: the audit's before/after come from the stored rows, redacted too.
    await setProviderEnabled(t.db, "groq-free", false, opts);
    await deleteProvider(t.db, "groq-free", opts);
    expect(JSON.stringify(await audits())).not.toContain("header-");
  });

  it("refuses a placeholder for a credential header that has no stored value", async () => {
    const placeholder = { Authorization: "<redacted:provider-header>" };
    const created = await createProvider(t.db, { ...groq, headers: placeholder }, opts).catch(
      (e) => e,
    );
    expect(created).toBeInstanceOf(ConfigWriteError);
    expect(created.fieldErrors).toEqual({
      "headers.Authorization": ["has no stored value to keep: enter one"],
    });
    await createProvider(t.db, groq, opts);
    const { id: _, apiKey: __, ...rest } = groq;
    const updated = await updateProvider(
      t.db,
      "groq-free",
      { ...rest, headers: placeholder },
      opts,
    ).catch((e) => e);
    expect(updated.code).toBe("invalid");
    expect(updated.message).toBe(
      "provider groq-free is invalid: headers.Authorization: has no stored value to keep: enter one",
    );
  });
});
