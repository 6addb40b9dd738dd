import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { createSession, type Db, type SessionUser, verifyPassword, writeAudit } from "@429chain/db";
import { z } from "zod";
import { type LoginCheck, type LoginRateLimiter, UNKNOWN_ADDRESS } from "./login-rate-limit";

const LoginInputSchema = z.object({
  email: z.string().trim().min(1, "enter your email").max(320),
  password: z.string().min(1, "enter your password").max(1024),
});
type LoginInput = z.input<typeof LoginInputSchema>;

export interface LoginDeps {
  db: Db;
  limiter: LoginRateLimiter;
  /** The session's absolute lifetime. */
  sessionMaxMs: number;
  /** Waits before a slowed-down attempt is answered; tests pass one that records instead. */
  wait?: (ms: number) => Promise<void>;
}

interface LoginClient {
  /** The client's address (lib/client-address.ts); null when it is unknown. */
  ip: string | null;
  userAgent: string | null;
}

type LoginOutcome =
  | { ok: true; token: string; expiresAt: Date; user: SessionUser }
  | { ok: false; status: 400 | 401 | 429; error: string };

// One message for an unknown email, a wrong password and a disabled account alike.
export const LOGIN_FAILED = "Wrong email or password.";

/** Checks the rate limits and the password, then opens a session. */
export async function logIn(
  deps: LoginDeps,
  input: LoginInput,
  client: LoginClient,
): Promise<LoginOutcome> {
  const parsed = LoginInputSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, status: 400, error: parsed.error.issues.map((i) => i.message).join("; ") };
  }
  const { email, password } = parsed.data;
  const address = client.ip ?? UNKNOWN_ADDRESS;
  const check = await deps.limiter.attempt(email, address);
  if (!check.allowed) {
    await auditLimited(deps.db, email, address, check);
    const minutes = Math.ceil(check.retryAfterSeconds / 60);
    return {
      ok: false,
      status: 429,
      error: `Too many login attempts: try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    };
  }
  if (check.delayMs > 0) {
    await auditLimited(deps.db, email, address, check);
    await (deps.wait ?? sleep)(check.delayMs);
  }
  const user = await verifyPassword(deps.db, email, password);
  if (!user) {
    await deps.limiter.failed(email);
    return { ok: false, status: 401, error: LOGIN_FAILED };
  }
  await deps.limiter.succeeded(email, address);
  const { token, expiresAt } = await createSession(deps.db, {
    userId: user.id,
    maxAgeMs: deps.sessionMaxMs,
    ip: client.ip,
    userAgent: client.userAgent,
  });
  return { ok: true, token, expiresAt, user: { id: user.id, email: user.email, role: user.role } };
}

/**
 * A refused or slowed-down attempt in the audit log: the account tried (as typed, lower-cased;
 * it may name nobody) is the actor, with the address. Never the password.
 */
async function auditLimited(db: Db, email: string, address: string, check: LoginCheck) {
  await writeAudit(db, {
    actor: email.toLowerCase(),
    action: check.allowed ? "login.slowed" : "login.refused",
    target: "login",
    after: check.allowed
      ? { address, delayMs: check.delayMs, accountFailures: check.accountFailures }
      : { address, limit: check.reason, retryAfterSeconds: check.retryAfterSeconds },
  });
}
