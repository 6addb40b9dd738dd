import { createSession, type Db, type SessionUser, verifyPassword } from "@429chain/db";
import { z } from "zod";
import type { LoginRateLimiter } from "./login-rate-limit";

export const LoginInputSchema = z.object({
  email: z.string().trim().min(1, "enter your email").max(320),
  password: z.string().min(1, "enter your password").max(1024),
});
export type LoginInput = z.input<typeof LoginInputSchema>;

export interface LoginDeps {
  db: Db;
  limiter: LoginRateLimiter;
  /** The session's absolute lifetime. */
  sessionMaxMs: number;
}

export interface LoginClient {
  ip: string | null;
  userAgent: string | null;
}

export type LoginOutcome =
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
  const check = await deps.limiter.attempt(email, client.ip);
  if (!check.allowed) {
    const minutes = Math.ceil(check.retryAfterSeconds / 60);
    return {
      ok: false,
      status: 429,
      error: `Too many login attempts: try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    };
  }
  const user = await verifyPassword(deps.db, email, password);
  if (!user) return { ok: false, status: 401, error: LOGIN_FAILED };
  await deps.limiter.succeeded(email);
  const { token, expiresAt } = await createSession(deps.db, {
    userId: user.id,
    maxAgeMs: deps.sessionMaxMs,
    ip: client.ip,
    userAgent: client.userAgent,
  });
  return { ok: true, token, expiresAt, user: { id: user.id, email: user.email, role: user.role } };
}
