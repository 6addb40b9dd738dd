import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenTestDb, openTestDb, TEST_BACKENDS } from "../testing/test-database";
import { createClientKey, listClientKeys } from "./client-keys";
import { touchClientKeys } from "./touch-client-keys";

describe.each(TEST_BACKENDS)("touchClientKeys (%s)", (backend) => {
  let t: OpenTestDb;
  beforeAll(async () => {
    t = await openTestDb(backend, "touch_keys");
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("sets last-used times in one batch and never moves them backwards", async () => {
    const a = await createClientKey(t.db, { name: "a" }, "test");
    const b = await createClientKey(t.db, { name: "b" }, "test");
    const later = new Date("2026-11-21T12:00:00Z");
    const earlier = new Date("2026-11-21T11:00:00Z");
    await touchClientKeys(t.db, [
      { id: a.record.id, at: later },
      { id: b.record.id, at: earlier },
    ]);
    await touchClientKeys(t.db, [{ id: a.record.id, at: earlier }]);
    const byName = new Map((await listClientKeys(t.db)).map((k) => [k.name, k]));
    expect(byName.get("a")?.lastUsedAt?.toISOString()).toBe(later.toISOString());
    expect(byName.get("b")?.lastUsedAt?.toISOString()).toBe(earlier.toISOString());
  });
});
