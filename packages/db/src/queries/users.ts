import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbExecutor } from "../create-db";
import { adminUsers, USER_ROLES } from "../schema";
import { hashPassword, verifyPasswordHash } from "../secrets/password";
import { writeAudit } from "./audit";
import { formatZodIssues, InvalidInputError } from "./errors";

export const CreateUserInputSchema = z.object({
  email: z.email().transform((e) => e.toLowerCase()),
  password: z.string().min(12, "must be at least 12 characters"),
  role: z.enum(USER_ROLES),
});
type CreateUserInput = z.input<typeof CreateUserInputSchema>;

export type UserRecord = Omit<typeof adminUsers.$inferSelect, "passwordHash">;

const userColumns = {
  id: adminUsers.id,
  email: adminUsers.email,
  role: adminUsers.role,
  disabled: adminUsers.disabled,
  createdAt: adminUsers.createdAt,
};

/**
 * Admin users are not part of the gateway's config, so this writes the audit log but leaves
 * the config version alone. A taken email fails on the unique index.
 */
export async function createUser(
  db: Db,
  input: CreateUserInput,
  actor: string,
): Promise<UserRecord> {
  const parsed = CreateUserInputSchema.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(formatZodIssues(parsed.error.issues));
  const { email, password, role } = parsed.data;
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(adminUsers)
      .values({ email, passwordHash, role })
      .returning(userColumns);
    await writeAudit(tx, { actor, action: "user.create", target: `user:${user!.id}`, after: user });
    return user!;
  });
}

// Verified against when the email is unknown, so both answers take as long.
let dummyHash: Promise<string> | undefined;

/** The user when the password matches and the account is enabled; otherwise null. */
export async function verifyPassword(
  db: DbExecutor,
  email: string,
  password: string,
): Promise<UserRecord | null> {
  const [row] = await db
    .select()
    .from(adminUsers)
    .where(eq(adminUsers.email, email.trim().toLowerCase()));
  if (!row) {
    dummyHash ??= hashPassword("not a password of anyone");
    await verifyPasswordHash(password, await dummyHash);
    return null;
  }
  const ok = await verifyPasswordHash(password, row.passwordHash);
  if (!ok || row.disabled) return null;
  const { passwordHash: _, ...user } = row;
  return user;
}
