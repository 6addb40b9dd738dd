import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminUsers, auditLog } from "../schema";
import { type OpenTestDb, openTestDb, TEST_BACKENDS } from "../testing/test-database";
import { getConfigVersion } from "./config-version";
import { InvalidInputError } from "./errors";
import { createUser, verifyPassword } from "./users";

describe.each(TEST_BACKENDS)("admin users on %s", (backend) => {
  let t: OpenTestDb;
  beforeAll(async () => {
    t = await openTestDb(backend, "users");
  });
  afterAll(() => t.cleanup());

  it("creates a user with a scrypt hash and verifies the password", async () => {
    const user = await createUser(
      t.db,
      { email: "Ada@Example.com", password: "correct horse battery", role: "admin" },
      "cli",
    );
    expect(user).toMatchObject({ email: "ada@example.com", role: "admin", disabled: false });
    expect(user).not.toHaveProperty("passwordHash");
    const [row] = await t.db.select().from(adminUsers).where(eq(adminUsers.id, user.id));
    expect(row!.passwordHash).toMatch(/^scrypt\$/);
    expect(row!.passwordHash).not.toContain("correct horse");

    expect(await verifyPassword(t.db, "ADA@example.com", "correct horse battery")).toEqual(user);
    expect(await verifyPassword(t.db, "ada@example.com", "wrong password!!")).toBeNull();
    expect(await verifyPassword(t.db, "nobody@example.com", "correct horse battery")).toBeNull();

    await t.db.update(adminUsers).set({ disabled: true }).where(eq(adminUsers.id, user.id));
    expect(await verifyPassword(t.db, "ada@example.com", "correct horse battery")).toBeNull();

    const audit = await t.db.select().from(auditLog);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "cli", action: "user.create" });
    expect(await getConfigVersion(t.db)).toBe(0);
  });

  it("refuses a taken email, a short password and an unknown role", async () => {
    const input = {
      email: "dup@example.com",
      password: "long enough pass",
      role: "viewer",
    } as const;
    await createUser(t.db, input, "cli");
    await expect(createUser(t.db, { ...input, email: "DUP@example.com" }, "cli")).rejects.toThrow();
    await expect(createUser(t.db, { ...input, password: "short" }, "cli")).rejects.toThrow(
      InvalidInputError,
    );
    await expect(
      createUser(t.db, { ...input, email: "x@example.com", role: "owner" as "admin" }, "cli"),
    ).rejects.toThrow(/role/);
  });
});
