import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adminSessions, auditLog } from "../schema";
import { type OpenTestDb, openTestDb, TEST_BACKENDS } from "../testing/test-database";
import { UserChangeError } from "./errors";
import {
  createSession,
  deleteAllSessionsOfUser,
  deleteSession,
  isSessionLive,
  sessionIdOf,
  validateSession,
} from "./sessions";
import { listUsers, setUserDisabled, setUserRole } from "./user-admin";
import { createUser } from "./users";

const HOUR = 3_600_000;
const IDLE = HOUR;

describe.each(TEST_BACKENDS)("admin sessions and users on %s", (backend) => {
  let t: OpenTestDb;
  beforeAll(async () => {
    t = await openTestDb(backend, "sessions");
  });
  beforeEach(() => t.reset());
  afterAll(() => t.cleanup());

  const newUser = (email: string, role: "admin" | "viewer" = "admin") =>
    createUser(t.db, { email, password: "a long enough password", role }, "test");
  const open = (userId: string) => createSession(t.db, { userId, maxAgeMs: 24 * HOUR });
  /** Moves a session's clock columns into the past, as if time had passed. */
  const age = (token: string, set: { lastSeen?: string; expires?: string }) =>
    t.db
      .update(adminSessions)
      .set({
        ...(set.lastSeen ? { lastSeenAt: sql`now() - ${set.lastSeen}::interval` } : {}),
        ...(set.expires ? { expiresAt: sql`now() - ${set.expires}::interval` } : {}),
      })
      .where(eq(adminSessions.id, sessionIdOf(token)));

  it("re-checks a session without marking it used: idle, expired, ended, user disabled", async () => {
    await newUser("root@example.com");
    const user = await newUser("ada@example.com", "viewer");
    const { token, sessionId } = await open(user.id);
    expect(await isSessionLive(t.db, sessionId, IDLE)).toBe(true);
    await age(token, { lastSeen: "2 minutes" });
    const [before] = await t.db.select().from(adminSessions);
    expect(await isSessionLive(t.db, sessionId, IDLE)).toBe(true);
    const [after] = await t.db.select().from(adminSessions);
    expect(after!.lastSeenAt).toEqual(before!.lastSeenAt);

    await age(token, { lastSeen: "2 hours" });
    expect(await isSessionLive(t.db, sessionId, IDLE)).toBe(false);
    const second = await open(user.id);
    await age(second.token, { expires: "1 second" });
    expect(await isSessionLive(t.db, second.sessionId, IDLE)).toBe(false);
    const third = await open(user.id);
    await setUserDisabled(t.db, user.id, true, "test");
    expect(await isSessionLive(t.db, third.sessionId, IDLE)).toBe(false);
    const fourth = await open((await newUser("bob@example.com")).id);
    await deleteSession(t.db, fourth.sessionId);
    expect(await isSessionLive(t.db, fourth.sessionId, IDLE)).toBe(false);
  });

  it("stores only the token's hash and validates the token", async () => {
    const ada = await newUser("ada@example.com");
    const { token, sessionId } = await open(ada.id);
    const [row] = await t.db.select().from(adminSessions);
    expect(row!.id).toBe(sessionId);
    expect(row!.id).not.toContain(token);
    expect(await validateSession(t.db, token, IDLE)).toEqual({
      sessionId,
      user: { id: ada.id, email: "ada@example.com", role: "admin" },
    });
    expect(await validateSession(t.db, `${token}x`, IDLE)).toBeNull();
  });

  it("ends a session idle for too long and deletes it", async () => {
    const ada = await newUser("ada@example.com");
    const { token } = await open(ada.id);
    await age(token, { lastSeen: "59 minutes" });
    expect(await validateSession(t.db, token, IDLE)).not.toBeNull();
    await age(token, { lastSeen: "61 minutes" });
    expect(await validateSession(t.db, token, IDLE)).toBeNull();
    expect(await t.db.select().from(adminSessions)).toEqual([]);
  });

  it("ends a session at its absolute expiry however active it is", async () => {
    const ada = await newUser("ada@example.com");
    const { token } = await open(ada.id);
    await age(token, { expires: "1 second" });
    expect(await validateSession(t.db, token, IDLE)).toBeNull();
  });

  it("marks use, so an active session stays alive past the idle limit from login", async () => {
    const ada = await newUser("ada@example.com");
    const { token } = await open(ada.id);
    await age(token, { lastSeen: "50 minutes" });
    expect(await validateSession(t.db, token, IDLE)).not.toBeNull();
    const [row] = await t.db
      .select({ idle: sql<boolean>`${adminSessions.lastSeenAt} > now() - interval '1 minute'` })
      .from(adminSessions);
    expect(row!.idle).toBe(true);
  });

  it("logs out one session, or every session of a user", async () => {
    const ada = await newUser("ada@example.com");
    const bob = await newUser("bob@example.com");
    const a1 = await open(ada.id);
    const a2 = await open(ada.id);
    const b1 = await open(bob.id);
    await deleteSession(t.db, a1.sessionId);
    expect(await validateSession(t.db, a1.token, IDLE)).toBeNull();
    expect(await validateSession(t.db, a2.token, IDLE)).not.toBeNull();
    await open(ada.id);
    expect(await deleteAllSessionsOfUser(t.db, ada.id)).toBe(2);
    expect(await validateSession(t.db, a2.token, IDLE)).toBeNull();
    expect(await validateSession(t.db, b1.token, IDLE)).not.toBeNull();
  });

  it("disabling a user ends their sessions, and a disabled user's token is refused", async () => {
    await newUser("ada@example.com");
    const bob = await newUser("bob@example.com", "viewer");
    const { token } = await open(bob.id);
    await setUserDisabled(t.db, bob.id, true, "ada@example.com");
    expect(await t.db.select().from(adminSessions)).toEqual([]);
    expect(await validateSession(t.db, token, IDLE)).toBeNull();
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, "user.disable"));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "ada@example.com", target: `user:${bob.id}` });
  });

  it("refuses to demote or disable the last enabled admin", async () => {
    const ada = await newUser("ada@example.com");
    const bob = await newUser("bob@example.com", "viewer");
    await expect(setUserRole(t.db, ada.id, "viewer", "ada@example.com")).rejects.toMatchObject({
      reason: "last_admin",
    });
    const refused = await setUserDisabled(t.db, ada.id, true, "ada").catch((e) => e);
    expect(refused).toBeInstanceOf(UserChangeError);
    expect(refused.message).toBe(
      "ada@example.com is the last enabled admin: make another user admin first",
    );
    await setUserRole(t.db, bob.id, "admin", "ada@example.com");
    await setUserRole(t.db, ada.id, "viewer", "ada@example.com");
    expect((await listUsers(t.db)).map((u) => [u.email, u.role])).toEqual([
      ["ada@example.com", "viewer"],
      ["bob@example.com", "admin"],
    ]);
    await expect(setUserDisabled(t.db, bob.id, true, "bob")).rejects.toMatchObject({
      reason: "last_admin",
    });
  });

  it("names an unknown user", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    await expect(setUserRole(t.db, missing, "admin", "t")).rejects.toMatchObject({
      reason: "not_found",
    });
  });
});
