import { PUBLIC_EXAMPLE_CLIENT_KEYS } from "@429chain/contracts";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clientApiKeys } from "../schema";
import { loadExampleConfig, TEST_KEY_A } from "../testing/fixtures";
import { type OpenTestDb, openTestDb, TEST_BACKENDS } from "../testing/test-database";
import { createClientKey, revokeClientKey } from "./client-keys";
import { importConfig } from "./import-config";
import { countUsableClientKeys } from "./usable-client-keys";

const NOW = new Date("2030-06-01T00:00:00Z");

describe.each(TEST_BACKENDS)("usable client keys on %s", (backend) => {
  let t: OpenTestDb;
  beforeAll(async () => {
    t = await openTestDb(backend, "usable_client_keys");
  });
  afterAll(() => t.cleanup());
  beforeEach(() => t.reset());

  it("counts none in an empty database", async () => {
    expect(await countUsableClientKeys(t.db, NOW)).toEqual({ usable: 0, published: [] });
  });

  it("does not count the example config's published key, and names it", async () => {
    const example = await loadExampleConfig();
    expect(example.settings.apiKeys).toEqual([...PUBLIC_EXAMPLE_CLIENT_KEYS]);
    await importConfig(t.db, example, { masterKey: TEST_KEY_A, actor: "test" });
    expect(await countUsableClientKeys(t.db, NOW)).toEqual({
      usable: 0,
      published: [{ name: "settings.apiKeys[0]", displayPrefix: "sk-429chai" }],
    });
  });

  it("counts a config key that is not published", async () => {
    const example = await loadExampleConfig();
    const config = { ...example, settings: { ...example.settings, apiKeys: ["sk-my-own-key"] } };
    await importConfig(t.db, config, { masterKey: TEST_KEY_A, actor: "test" });
    expect(await countUsableClientKeys(t.db, NOW)).toEqual({ usable: 1, published: [] });
  });

  it("counts issued keys, but not revoked or expired ones", async () => {
    const live = await createClientKey(t.db, { name: "live" }, "test");
    expect((await countUsableClientKeys(t.db, NOW)).usable).toBe(1);
    await revokeClientKey(t.db, live.record.id, "test");
    expect((await countUsableClientKeys(t.db, NOW)).usable).toBe(0);

    const later = await createClientKey(t.db, { name: "later" }, "test");
    await t.db
      .update(clientApiKeys)
      .set({ expiresAt: new Date(NOW.getTime() + 1000) })
      .where(eq(clientApiKeys.id, later.record.id));
    expect((await countUsableClientKeys(t.db, NOW)).usable).toBe(1);
    await t.db
      .update(clientApiKeys)
      .set({ expiresAt: NOW })
      .where(eq(clientApiKeys.id, later.record.id));
    expect((await countUsableClientKeys(t.db, NOW)).usable).toBe(0);
  });

  it("does not name a published key once it is revoked", async () => {
    await importConfig(t.db, await loadExampleConfig(), { masterKey: TEST_KEY_A, actor: "test" });
    await revokeClientKey(t.db, "sk-429chai", "test");
    expect(await countUsableClientKeys(t.db, NOW)).toEqual({ usable: 0, published: [] });
  });
});
