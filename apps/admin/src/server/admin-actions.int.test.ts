import { randomBytes } from "node:crypto";
import { configChangedChannel } from "@429chain/contracts";
import {
  auditLog,
  createClientKey,
  createSession,
  createUser,
  getConfigVersion,
  listClientKeys,
  type ValidSession,
  validateSession,
} from "@429chain/db";
import { dumpTables, type OpenTestDb, openTestDb } from "@429chain/db/testing";
import { createTestRedis, TEST_REDIS_URL, type TestRedis } from "@429chain/testing";
import { desc } from "drizzle-orm";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionContext, ServerAction } from "../lib/action";
import { closeServices } from "../lib/services";
import { createKeyAction, revokeKeyAction } from "./keys/key-actions";
import { createUserAction, setUserDisabledAction, setUserRoleAction } from "./users/user-actions";

const SAME_SITE = new Headers({ host: "admin.example.com", origin: "https://admin.example.com" });
const CROSS_SITE = new Headers({ host: "admin.example.com", origin: "https://evil.example" });

describe("admin server actions", () => {
  let t: OpenTestDb;
  let redis: TestRedis;
  let subscriber: Redis;
  let admin: ValidSession;
  let viewer: ValidSession;
  let existingKeyId: string;

  const sessionOf = async (email: string, role: "admin" | "viewer") => {
    const user = await createUser(t.db, { email, password: "a long enough password", role }, "t");
    const { token } = await createSession(t.db, { userId: user.id, maxAgeMs: 3_600_000 });
    return (await validateSession(t.db, token, 3_600_000))!;
  };

  beforeAll(async () => {
    t = await openTestDb("postgres", "admin_actions");
    redis = await createTestRedis("admin-actions");
    // adminEnv() reads these on first use.
    process.env.DATABASE_URL = dbUrl(t);
    process.env.MASTER_KEY = randomBytes(32).toString("hex");
    process.env.REDIS_URL = TEST_REDIS_URL;
    process.env.REDIS_KEY_PREFIX = redis.prefix;
    subscriber = new Redis(TEST_REDIS_URL);
    await subscriber.subscribe(configChangedChannel(redis.prefix));
    admin = await sessionOf("ada@example.com", "admin");
    viewer = await sessionOf("vic@example.com", "viewer");
    existingKeyId = (await createClientKey(t.db, { name: "existing" }, "t")).record.id;
  });
  afterAll(async () => {
    subscriber.disconnect();
    await closeServices();
    await redis.cleanup();
    await t.cleanup();
  });

  const as = (session: ValidSession | null, headers = SAME_SITE): ActionContext => ({
    session,
    headers,
  });
  // biome-ignore lint/suspicious/noExplicitAny: each action has its own input type.
  type AnyAction = ServerAction<any, unknown>;

  const adminActions = (): [string, AnyAction, unknown][] => [
    [
      "createUser",
      createUserAction,
      { email: "new@example.com", password: "a long enough password", role: "admin" },
    ],
    ["setUserRole", setUserRoleAction, { userId: viewer.user.id, role: "admin" }],
    ["setUserDisabled", setUserDisabledAction, { userId: admin.user.id, disabled: true }],
    ["createKey", createKeyAction, { name: "sneaky" }],
    ["revokeKey", revokeKeyAction, { id: existingKeyId }],
  ];

  it("refuses every admin action to a viewer with 403 and changes nothing", async () => {
    for (const [name, action, input] of adminActions()) {
      const before = await dumpTables(t.db);
      const result = await action.withContext(as(viewer))(input);
      expect(result, name).toMatchObject({ ok: false, status: 403 });
      expect(await dumpTables(t.db), name).toEqual(before);
    }
  });

  it("refuses a cross-site call even from an admin, and a call without a session", async () => {
    for (const [name, action, input] of adminActions()) {
      const before = await dumpTables(t.db);
      expect(await action.withContext(as(admin, CROSS_SITE))(input), name).toMatchObject({
        ok: false,
        status: 403,
        error: "Refused a request from another site.",
      });
      expect(await action.withContext(as(null))(input), name).toMatchObject({
        ok: false,
        status: 401,
      });
      expect(await dumpTables(t.db), name).toEqual(before);
    }
  });

  it("returns field errors for invalid input without writing", async () => {
    const before = await dumpTables(t.db);
    const result = await createKeyAction.withContext(as(admin))({
      name: "",
      rpm: -1,
      expiresAt: new Date("2001-01-01"),
    });
    expect(result).toMatchObject({ ok: false, status: 400 });
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(["expiresAt", "name", "rpm"]);
    expect(result.fieldErrors?.expiresAt).toEqual(["must be in the future"]);
    expect(await dumpTables(t.db)).toEqual(before);
  });

  it("creates and revokes a key: version bumped, audited, announced", async () => {
    const announced = () =>
      new Promise<string>((resolve) =>
        subscriber.once("message", (_c, message) => resolve(message)),
      );
    const start = await getConfigVersion(t.db);

    const createdMessage = announced();
    const created = await createKeyAction.withContext(as(admin))({ name: "ci", rpm: 60 });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.data.key).toMatch(/^sk-429-/);
    expect(await getConfigVersion(t.db)).toBe(start + 1);
    expect(await createdMessage).toBe(String(start + 1));

    const revokedMessage = announced();
    const revoked = await revokeKeyAction.withContext(as(admin))({ id: created.data.record.id });
    expect(revoked).toMatchObject({ ok: true, data: { id: created.data.record.id } });
    expect(await getConfigVersion(t.db)).toBe(start + 2);
    expect(await revokedMessage).toBe(String(start + 2));
    const stored = (await listClientKeys(t.db)).find((k) => k.id === created.data.record.id);
    expect(stored!.revokedAt).toBeInstanceOf(Date);

    const audit = await t.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(2);
    expect(audit.map((a) => [a.action, a.actor, a.configVersion])).toEqual([
      ["client_key.revoke", "ada@example.com", start + 2],
      ["client_key.create", "ada@example.com", start + 1],
    ]);
    expect(JSON.stringify(audit)).not.toContain(created.data.key);

    // Revoking again changes nothing and announces nothing.
    const again = await revokeKeyAction.withContext(as(admin))({ id: created.data.record.id });
    expect(again.ok).toBe(true);
    expect(await getConfigVersion(t.db)).toBe(start + 2);
  });

  it("lets an admin manage users but not remove the last admin", async () => {
    const created = await createUserAction.withContext(as(admin))({
      email: "Zoe@Example.com",
      password: "a long enough password",
      role: "viewer",
    });
    expect(created).toMatchObject({ ok: true, data: { email: "zoe@example.com", role: "viewer" } });
    const taken = await createUserAction.withContext(as(admin))({
      email: "zoe@example.com",
      password: "a long enough password",
      role: "viewer",
    });
    expect(taken).toMatchObject({ ok: false, status: 409 });

    const demoteSelf = await setUserRoleAction.withContext(as(admin))({
      userId: admin.user.id,
      role: "viewer",
    });
    expect(demoteSelf).toEqual({
      ok: false,
      status: 409,
      error: "ada@example.com is the last enabled admin: make another user admin first",
    });
  });
});

function dbUrl(t: OpenTestDb): string {
  if (t.handle.driver !== "pg") throw new Error("needs Postgres");
  return (t.handle.pool.options as { connectionString: string }).connectionString;
}
