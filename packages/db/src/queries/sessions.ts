import { createHash, randomBytes } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import type { DbExecutor } from "../create-db";
import { adminSessions, adminUsers, type UserRole } from "../schema";

export interface SessionUser {
  id: string;
  email: string;
  role: UserRole;
}

export interface ValidSession {
  sessionId: string;
  user: SessionUser;
}

interface CreateSessionInput {
  userId: string;
  /** Absolute lifetime: the session ends this long after login, however active. */
  maxAgeMs: number;
  ip?: string | null;
  userAgent?: string | null;
}

// last_seen_at is rewritten at most this often, so page views are not all writes.
const TOUCH_INTERVAL = "1 minute";

/** Session ids are the SHA-256 of the cookie's token: a database leak gives no cookie. */
export function sessionIdOf(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A new session; `token` goes in the cookie and is never stored. */
export async function createSession(
  db: DbExecutor,
  input: CreateSessionInput,
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const sessionId = sessionIdOf(token);
  const expiresAt = new Date(Date.now() + input.maxAgeMs);
  // Housekeeping: the user's ended sessions go when a new one starts.
  await db
    .delete(adminSessions)
    .where(and(eq(adminSessions.userId, input.userId), lt(adminSessions.expiresAt, sql`now()`)));
  await db.insert(adminSessions).values({
    id: sessionId,
    userId: input.userId,
    expiresAt,
    ip: input.ip ?? null,
    // Bounded: the header is client-controlled.
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  });
  return { token, sessionId, expiresAt };
}

function readSession(db: DbExecutor, sessionId: string, idleMs: number) {
  const idle = sql`make_interval(secs => ${idleMs / 1000})`;
  return db
    .select({
      live: sql<boolean>`${adminSessions.expiresAt} > now() AND ${adminSessions.lastSeenAt} > now() - ${idle}`,
      stale: sql<boolean>`${adminSessions.lastSeenAt} < now() - ${TOUCH_INTERVAL}::interval`,
      id: adminUsers.id,
      email: adminUsers.email,
      role: adminUsers.role,
      disabled: adminUsers.disabled,
    })
    .from(adminSessions)
    .innerJoin(adminUsers, eq(adminUsers.id, adminSessions.userId))
    .where(eq(adminSessions.id, sessionId));
}

/**
 * The session and its user when the token is live: not past its absolute end, used within
 * `idleMs`, and the user still enabled. Marks it used. A dead session is deleted.
 */
export async function validateSession(
  db: DbExecutor,
  token: string,
  idleMs: number,
): Promise<ValidSession | null> {
  const sessionId = sessionIdOf(token);
  const [row] = await readSession(db, sessionId, idleMs);
  if (!row) return null;
  if (!row.live || row.disabled) {
    await deleteSession(db, sessionId);
    return null;
  }
  // Only a session last seen over a minute ago is written: most requests cost one query.
  if (row.stale) {
    await db
      .update(adminSessions)
      .set({ lastSeenAt: sql`now()` })
      .where(eq(adminSessions.id, sessionId));
  }
  return { sessionId, user: { id: row.id, email: row.email, role: row.role } };
}

/**
 * Whether a session validateSession accepted is still live, by the same rules, without
 * marking it used: a long-lived response (an event stream) re-checks with this, and an open
 * tab must not keep an idle session alive.
 */
export async function isSessionLive(
  db: DbExecutor,
  sessionId: string,
  idleMs: number,
): Promise<boolean> {
  const [row] = await readSession(db, sessionId, idleMs);
  return row?.live === true && !row.disabled;
}

export async function deleteSession(db: DbExecutor, sessionId: string): Promise<void> {
  await db.delete(adminSessions).where(eq(adminSessions.id, sessionId));
}

/** "Log out everywhere": every session of the user ends. Returns how many there were. */
export async function deleteAllSessionsOfUser(db: DbExecutor, userId: string): Promise<number> {
  const deleted = await db
    .delete(adminSessions)
    .where(eq(adminSessions.userId, userId))
    .returning({ id: adminSessions.id });
  return deleted.length;
}
