import type { Config } from "@429chain/contracts";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigImportError, ConfigSnapshotError } from "../queries/errors";
import { exportConfig } from "../queries/export-config";
import { importConfig } from "../queries/import-config";
import { loadConfigSnapshot } from "../queries/load-config-snapshot";
import { auditLog, providers } from "../schema";
import { loadExampleConfig, TEST_KEY_A, TEST_KEY_B } from "../testing/fixtures";
import { dumpTables, type OpenTestDb, openTestDb, TEST_BACKENDS } from "../testing/test-database";
import { rotateSecrets } from "./rotate-secrets";

const API_KEY_HEADER = "hdr-secret-api-key-0001";
const AUTH_HEADER = "Bearer hdr-secret-token-0002";
const LEGACY = "Bearer legacy-plain-token-0003";

/** The example config with extra headers on groq: two credentials and one plain. */
function withHeaders(example: Config): Config {
  return {
    ...example,
    providers: example.providers.map((p) =>
      p.id === "groq"
        ? {
            ...p,
            headers: {
              "HTTP-Referer": "https://app.example",
              "X-Api-Key": API_KEY_HEADER,
              Authorization: AUTH_HEADER,
            },
          }
        : p,
    ),
  };
}

const groqHeaders = (config: { providers: { id: string; headers?: unknown }[] }) =>
  config.providers.find((p) => p.id === "groq")?.headers;

describe.each(TEST_BACKENDS)("credential headers at rest on %s", (backend) => {
  let t: OpenTestDb;
  let config: Config;
  beforeAll(async () => {
    t = await openTestDb(backend, "credential_headers");
    config = withHeaders(await loadExampleConfig());
  });
  afterAll(() => t.cleanup());
  beforeEach(async () => {
    await t.reset();
    await importConfig(t.db, config, { masterKey: TEST_KEY_A, actor: "test" });
  });

  it("encrypts credential headers, keeps the others readable, and loads them all", async () => {
    const dump = JSON.stringify(await dumpTables(t.db));
    expect(dump).not.toContain("hdr-secret");
    expect(dump).toContain("https://app.example");
    const [row] = await t.db.select().from(providers).where(eq(providers.id, "groq"));
    expect(row!.headers).toEqual({ "HTTP-Referer": "https://app.example" });
    expect(Object.keys(row!.secretHeaders ?? {}).sort()).toEqual(["Authorization", "X-Api-Key"]);
    expect(row!.secretHeadersKeyId).toBe(TEST_KEY_A.id);
    const snapshot = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A });
    expect(snapshot.config).toEqual(config);
  });

  it("redacts them in an export without secrets and in the audit log; import keeps them", async () => {
    const redacted = await exportConfig(t.db, { withSecrets: false });
    expect(groqHeaders(redacted.config)).toEqual({
      "HTTP-Referer": "https://app.example",
      Authorization: "<redacted:provider-header>",
      "X-Api-Key": "<redacted:provider-header>",
    });
    const audit = JSON.stringify(await t.db.select().from(auditLog));
    expect(audit).not.toContain("hdr-secret");
    expect(audit).toContain("<redacted:provider-header>");

    await importConfig(t.db, redacted.config as Config, { masterKey: TEST_KEY_A, actor: "test" });
    const snapshot = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A });
    expect(groqHeaders(snapshot.config)).toEqual(groqHeaders(config));
    const full = await exportConfig(t.db, { withSecrets: true, masterKey: TEST_KEY_A });
    expect(groqHeaders(full.config)).toMatchObject({
      "X-Api-Key": API_KEY_HEADER,
      Authorization: AUTH_HEADER,
    });
    expect((await exportConfig(t.db, { withSecrets: false })).config).toEqual(redacted.config);
  });

  it("refuses a placeholder for a header nothing is stored under", async () => {
    const redacted = await exportConfig(t.db, { withSecrets: false });
    const renamed = {
      ...redacted.config,
      providers: redacted.config.providers.map((p) =>
        p.id === "groq" ? { ...p, headers: { "X-Other-Token": "<redacted:provider-header>" } } : p,
      ),
    } as Config;
    const error = await importConfig(t.db, renamed, { masterKey: TEST_KEY_A, actor: "t" }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ConfigImportError);
    expect(error.issues).toEqual([
      'providers.0.headers.X-Other-Token: no stored header for provider "groq" to keep',
    ]);
  });

  it("re-encrypts them on rotation", async () => {
    await rotateSecrets(t.db, TEST_KEY_A, TEST_KEY_B);
    const [row] = await t.db.select().from(providers).where(eq(providers.id, "groq"));
    expect(row!.secretHeadersKeyId).toBe(TEST_KEY_B.id);
    const snapshot = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_B });
    expect(snapshot.config).toEqual(config);
  });

  it("names the record when a header's ciphertext was altered", async () => {
    await t.db.execute(
      sql`UPDATE providers SET secret_headers = jsonb_set(secret_headers, '{X-Api-Key}',
        to_jsonb(secret_headers->>'X-Api-Key' || 'AA')) WHERE id = 'groq'`,
    );
    const error = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigSnapshotError);
    expect(error.issues[0]).toMatch(/^provider "groq" header "X-Api-Key": /);
  });

  it("still loads credentials stored in the clear before, redacts them, and rotation encrypts them", async () => {
    // A row as the schema before secret_headers wrote it.
    await t.db
      .update(providers)
      .set({
        headers: { Authorization: LEGACY, "x-team": "blue" },
        secretHeaders: null,
        secretHeadersKeyId: null,
      })
      .where(eq(providers.id, "openai"));
    const legacy = { Authorization: LEGACY, "x-team": "blue" };
    const before = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A });
    expect(before.config.providers.find((p) => p.id === "openai")?.headers).toEqual(legacy);
    const redacted = await exportConfig(t.db, { withSecrets: false });
    expect(redacted.config.providers.find((p) => p.id === "openai")?.headers).toEqual({
      Authorization: "<redacted:provider-header>",
      "x-team": "blue",
    });

    expect(await rotateSecrets(t.db, TEST_KEY_A, TEST_KEY_B)).toMatchObject({
      providers: config.providers.length,
    });
    expect(JSON.stringify(await dumpTables(t.db))).not.toContain("legacy-plain-token");
    const after = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_B });
    expect(after.config.providers.find((p) => p.id === "openai")?.headers).toEqual({
      "x-team": "blue",
      Authorization: LEGACY,
    });
  });
});
