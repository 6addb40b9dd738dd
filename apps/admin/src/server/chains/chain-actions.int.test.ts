import { listChains, loadConfigSnapshot, masterKeyFromBytes } from "@429chain/db";
import { dumpTables, type OpenTestDb, openTestDb } from "@429chain/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Session } from "../../lib/auth";
import type { ConfigDeps } from "../config/config-write";
import { createProviderBody } from "../providers/provider-bodies";
import {
  createChainAction,
  deleteChainAction,
  setDefaultChainAction,
  updateChainAction,
} from "./chain-actions";
import {
  createChainBody,
  deleteChainBody,
  setDefaultChainBody,
  updateChainBody,
} from "./chain-bodies";

const admin: Session = {
  sessionId: "s-admin",
  user: { id: "u1", email: "admin@example.com", role: "admin" },
};
const viewer: Session = {
  sessionId: "s-viewer",
  user: { id: "u2", email: "viewer@example.com", role: "viewer" },
};
const sameOrigin = new Headers({ origin: "http://localhost:3431", host: "localhost:3431" });

describe("chain actions against postgres", () => {
  let t: OpenTestDb;
  let published: number[];
  let deps: ConfigDeps;
  beforeAll(async () => {
    t = await openTestDb("postgres", "admin_chain_actions");
  });
  afterAll(() => t.cleanup());
  beforeEach(async () => {
    await t.reset();
    published = [];
    deps = {
      db: t.db,
      masterKey: masterKeyFromBytes(Buffer.alloc(32, 9)),
      publish: async (v) => {
        published.push(v);
      },
    };
    for (const id of ["groq", "cerebras"]) {
      await createProviderBody(deps, admin, { id, name: id, type: id, apiKey: `${id}-key` });
    }
    await createChainBody(deps, admin, {
      name: "fast",
      entries: [
        { provider: "groq", model: "a" },
        { provider: "cerebras", model: "b" },
      ],
    });
  });

  it("saves a reordered chain that the gateway's loader serves in the new order", async () => {
    const saved = await updateChainBody(deps, admin, {
      name: "fast",
      entries: [
        { provider: "cerebras", model: "b" },
        { provider: "groq", model: "a", enabled: false },
      ],
    });
    expect(saved).toEqual({ chain: "fast", version: 4 });
    expect(published).toEqual([1, 2, 3, 4]);
    const snapshot = await loadConfigSnapshot(t.db, { masterKey: deps.masterKey });
    expect(snapshot.config.chains[0]!.entries.map((e) => [e.provider, e.enabled])).toEqual([
      ["cerebras", true],
      ["groq", false],
    ]);
  });

  it("sets the default chain and refuses to delete it with a specific message", async () => {
    await createChainBody(deps, admin, {
      name: "cheap",
      entries: [{ provider: "groq", model: "c" }],
    });
    const refused = await deleteChainBody(deps, admin, { name: "fast" }).catch((e) => e);
    expect(refused).toMatchObject({
      status: 409,
      message: "chain fast is the default chain: make another chain the default before deleting it",
    });
    await setDefaultChainBody(deps, admin, { name: "cheap" });
    await deleteChainBody(deps, admin, { name: "fast" });
    expect(await listChains(t.db)).toMatchObject({
      defaultChain: "cheap",
      chains: [{ name: "cheap" }],
    });
  });

  it("returns entry errors keyed by their path", async () => {
    const error = await updateChainBody(deps, admin, {
      name: "fast",
      entries: [{ provider: "ghost", model: "" }],
    }).catch((e) => e);
    expect(error.status).toBe(400);
    expect(error.fieldErrors).toEqual({
      "entries.0.model": ["Too small: expected string to have >=1 characters"],
    });
  });

  it("creates an embeddings chain with dimensions and edits them; the gateway's loader serves them", async () => {
    await createProviderBody(deps, admin, { id: "oai", name: "oai", type: "openai", apiKey: "k" });
    const entries = [{ provider: "oai", model: "text-embedding-3-small" }];
    await createChainBody(deps, admin, {
      name: "embed",
      kind: "embeddings",
      dimensions: 256,
      entries,
    });
    const served = async () =>
      (await loadConfigSnapshot(t.db, { masterKey: deps.masterKey })).config.chains[1];
    expect(await served()).toMatchObject({ name: "embed", kind: "embeddings", dimensions: 256 });
    // The editor sends null for an emptied dimensions field: no fixed length any more.
    await updateChainBody(deps, admin, {
      name: "embed",
      kind: "embeddings",
      dimensions: null,
      entries,
    });
    const cleared = await served();
    expect(cleared).toMatchObject({ kind: "embeddings" });
    expect(cleared).not.toHaveProperty("dimensions");
    expect((await listChains(t.db)).chains.map((c) => [c.name, c.kind, c.dimensions])).toEqual([
      ["fast", "chat", null],
      ["embed", "embeddings", null],
    ]);
  });

  it("refuses an embeddings chain on a provider without an embeddings API, keyed by the entry", async () => {
    const before = await dumpTables(t.db);
    const error = await updateChainBody(deps, admin, {
      name: "fast",
      kind: "embeddings",
      dimensions: null,
      entries: [{ provider: "groq", model: "a" }],
    }).catch((e) => e);
    expect(error.status).toBe(400);
    expect(error.fieldErrors).toEqual({
      "entries.0.provider": ['provider "groq" is of type groq, which has no embeddings API'],
    });
    const chatWithDimensions = await createChainBody(deps, admin, {
      name: "odd",
      kind: "chat",
      dimensions: 8,
      entries: [{ provider: "groq", model: "a" }],
    }).catch((e) => e);
    expect(chatWithDimensions.fieldErrors).toEqual({
      dimensions: ["is only for chains of kind embeddings"],
    });
    expect(await dumpTables(t.db)).toEqual(before);
  });

  it("sets a chat chain's affinity, keeps it through an edit that leaves it out, and clears it with null", async () => {
    const entries = [{ provider: "groq", model: "a" }];
    await createChainBody(deps, admin, { name: "sticky", affinity: "conversation", entries });
    const served = async () =>
      (await loadConfigSnapshot(t.db, { masterKey: deps.masterKey })).config.chains.find(
        (c) => c.name === "sticky",
      );
    expect(await served()).toMatchObject({ affinity: "conversation" });
    await updateChainBody(deps, admin, { name: "sticky", entries });
    expect(await served()).toMatchObject({ affinity: "conversation" });
    await updateChainBody(deps, admin, { name: "sticky", affinity: null, entries });
    expect(await served()).not.toHaveProperty("affinity");
    const error = await updateChainBody(deps, admin, {
      name: "sticky",
      affinity: "forever",
      entries,
    }).catch((e) => e);
    expect(error.status).toBe(400);
    expect(Object.keys(error.fieldErrors)).toEqual(["affinity"]);
  });

  it("refuses a viewer with 403 for every write and leaves the database unchanged", async () => {
    const before = await dumpTables(t.db);
    const context = { session: viewer, headers: sameOrigin };
    const entries = [{ provider: "groq", model: "x" }];
    const results = [
      await createChainAction.withContext(context)({ name: "new", entries }),
      await updateChainAction.withContext(context)({ name: "fast", entries }),
      await setDefaultChainAction.withContext(context)({ name: "fast" }),
      await deleteChainAction.withContext(context)({ name: "fast" }),
    ];
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, status: 403 });
      expect(result.ok ? "" : result.error).toMatch(/^Only admins may do this/);
    }
    expect(await dumpTables(t.db)).toEqual(before);
    expect(published).toEqual([1, 2, 3]);
  });

  it("refuses a signed-out caller with 401", async () => {
    const result = await deleteChainAction.withContext({ session: null, headers: sameOrigin })({
      name: "fast",
    });
    expect(result).toMatchObject({ ok: false, status: 401 });
  });
});
