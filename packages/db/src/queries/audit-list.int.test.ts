import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenTestDb, openTestDb } from "../testing/test-database";
import { writeAudit } from "./audit";
import { listAuditActors, listAuditLog } from "./audit-list";

describe("audit log listing", () => {
  let t: OpenTestDb;
  beforeAll(async () => {
    t = await openTestDb("postgres", "audit_list");
    const entries = [
      ["cli", "provider:groq-free"],
      ["ada@example.com", "provider:groq_free2"],
      ["ada@example.com", "chain:fast"],
      ["bob@example.com", "provider:groq-free"],
      ["ada@example.com", "providers:odd"],
    ] as const;
    for (const [actor, target] of entries) {
      await writeAudit(t.db, { actor, action: "x.update", target });
    }
  });
  afterAll(() => t.cleanup());

  const targets = async (options: Parameters<typeof listAuditLog>[1]) =>
    (await listAuditLog(t.db, options)).entries.map((e) => `${e.actor} ${e.target}`);

  it("pages newest first by id", async () => {
    const first = await listAuditLog(t.db, { limit: 2 });
    expect(first.entries.map((e) => e.target)).toEqual(["providers:odd", "provider:groq-free"]);
    const second = await listAuditLog(t.db, { limit: 2, before: first.nextBefore! });
    expect(second.entries.map((e) => e.target)).toEqual(["chain:fast", "provider:groq_free2"]);
    const last = await listAuditLog(t.db, { limit: 2, before: second.nextBefore! });
    expect(last.entries.map((e) => e.target)).toEqual(["provider:groq-free"]);
    expect(last.nextBefore).toBeNull();
  });

  it("filters by actor, by exact target, and by target kind", async () => {
    expect(await targets({ limit: 10, actor: "ada@example.com", target: "provider" })).toEqual([
      "ada@example.com provider:groq_free2",
    ]);
    expect(await targets({ limit: 10, target: "provider:groq-free" })).toEqual([
      "bob@example.com provider:groq-free",
      "cli provider:groq-free",
    ]);
    // LIKE wildcards in the filter are literal: "provider:groq_free" is not a pattern.
    expect(await targets({ limit: 10, target: "provider:groq_free" })).toEqual([]);
    expect(await listAuditActors(t.db)).toEqual(["ada@example.com", "bob@example.com", "cli"]);
  });
});
