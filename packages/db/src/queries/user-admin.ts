import { and, asc, eq, ne } from "drizzle-orm";
import type { Db, DbExecutor } from "../create-db";
import { adminSessions, adminUsers, type UserRole } from "../schema";
import { writeAudit } from "./audit";
import { UserChangeError } from "./errors";
import type { UserRecord } from "./users";

const userColumns = {
  id: adminUsers.id,
  email: adminUsers.email,
  role: adminUsers.role,
  disabled: adminUsers.disabled,
  createdAt: adminUsers.createdAt,
};

/** Oldest first, so the first admin leads the list. */
export async function listUsers(db: DbExecutor): Promise<UserRecord[]> {
  return db.select(userColumns).from(adminUsers).orderBy(asc(adminUsers.createdAt));
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Locks the user's row, then refuses a change that would leave no enabled admin. Every
 * enabled admin row is locked too, so two admins demoting each other cannot both succeed.
 */
async function lockUser(tx: Tx, userId: string, leavesAdmin: boolean): Promise<UserRecord> {
  const [user] = await tx
    .select(userColumns)
    .from(adminUsers)
    .where(eq(adminUsers.id, userId))
    .for("update");
  if (!user) throw new UserChangeError("not_found", `no user with id ${userId}`);
  if (user.role === "admin" && !user.disabled && !leavesAdmin) {
    const others = await tx
      .select({ id: adminUsers.id })
      .from(adminUsers)
      .where(
        and(
          eq(adminUsers.role, "admin"),
          eq(adminUsers.disabled, false),
          ne(adminUsers.id, userId),
        ),
      )
      .for("update");
    if (others.length === 0) {
      throw new UserChangeError(
        "last_admin",
        `${user.email} is the last enabled admin: make another user admin first`,
      );
    }
  }
  return user;
}

export async function setUserRole(
  db: Db,
  userId: string,
  role: UserRole,
  actor: string,
): Promise<UserRecord> {
  return db.transaction(async (tx) => {
    const before = await lockUser(tx, userId, role === "admin");
    if (before.role === role) return before;
    const [after] = await tx
      .update(adminUsers)
      .set({ role })
      .where(eq(adminUsers.id, userId))
      .returning(userColumns);
    await writeAudit(tx, { actor, action: "user.role", target: `user:${userId}`, before, after });
    return after!;
  });
}

/** Disabling also ends every session of the user at once. */
export async function setUserDisabled(
  db: Db,
  userId: string,
  disabled: boolean,
  actor: string,
): Promise<UserRecord> {
  return db.transaction(async (tx) => {
    const before = await lockUser(tx, userId, !disabled);
    if (disabled) await tx.delete(adminSessions).where(eq(adminSessions.userId, userId));
    if (before.disabled === disabled) return before;
    const [after] = await tx
      .update(adminUsers)
      .set({ disabled })
      .where(eq(adminUsers.id, userId))
      .returning(userColumns);
    const action = disabled ? "user.disable" : "user.enable";
    await writeAudit(tx, { actor, action, target: `user:${userId}`, before, after });
    return after!;
  });
}
