import { randomBytes } from "node:crypto";
import { createUser, USER_ROLES, type UserRole } from "@429chain/db";
import { UsageError } from "../cli-errors";
import { type Command, dbOf } from "../command";
import { requiredString } from "../flag-values";

/** 18 random bytes: 144 bits, 24 base64url characters. */
function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

function parseRole(value: string): UserRole {
  const role = USER_ROLES.find((r) => r === value);
  if (!role) throw new UsageError(`--role must be one of ${USER_ROLES.join(", ")}, got "${value}"`);
  return role;
}

export const usersCreateCommand: Command = {
  path: ["users", "create"],
  summary: "create an admin console user",
  synopsis: `--email <email> --role ${USER_ROLES.join("|")} [--password-stdin]`,
  help: [
    "Options:",
    "  --email <email>     the login (stored lower-case)",
    `  --role <role>       ${USER_ROLES.join(" or ")}`,
    "  --password-stdin    read the password (at least 12 characters) from stdin, e.g.",
    '                      `printf %s "$PW" | 429chain users create …`; otherwise a strong',
    "                      password is generated and printed once",
  ].join("\n"),
  options: {
    email: { type: "string" },
    role: { type: "string" },
    "password-stdin": { type: "boolean" },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, { values }) {
    const email = requiredString(values, "email");
    const role = parseRole(requiredString(values, "role"));
    const fromStdin = values["password-stdin"] === true;
    // One trailing newline is what `echo` or a here-string adds, not part of the password.
    const password = fromStdin ? (await ctx.readStdin()).replace(/\r?\n$/, "") : generatePassword();
    const user = await createUser(await dbOf(ctx), { email, role, password }, "cli");
    const lines = [`created ${user.role} user ${user.email} (id ${user.id})`];
    if (!fromStdin) {
      lines.push("", `  password: ${password}`, "", "Store it now; it cannot be shown again.");
    }
    ctx.stdout(`${lines.join("\n")}\n`);
  },
};
