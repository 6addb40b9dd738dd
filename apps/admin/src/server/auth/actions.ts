"use server";

import "server-only";
import { deleteAllSessionsOfUser, deleteSession } from "@429chain/db";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getSession, SESSION_COOKIE } from "../../lib/auth";
import { clientAddress } from "../../lib/client-address";
import { adminEnv } from "../../lib/env";
import { isSameOrigin, isSecureHost } from "../../lib/origin";
import { getDb, getLoginRateLimiter } from "../../lib/services";
import { logIn } from "./login";

export interface LoginFormState {
  error: string | null;
  email: string;
}

/** The login form's action (useActionState): an error to show, or a redirect when signed in. */
export async function logInAction(
  _previous: LoginFormState,
  form: FormData,
): Promise<LoginFormState> {
  const email = String(form.get("email") ?? "");
  const requestHeaders = await headers();
  if (!isSameOrigin(requestHeaders)) {
    return { error: "Refused a login from another site.", email };
  }
  const env = adminEnv();
  const outcome = await logIn(
    {
      db: await getDb(),
      limiter: getLoginRateLimiter(),
      sessionMaxMs: env.SESSION_MAX_HOURS * 3_600_000,
    },
    { email, password: String(form.get("password") ?? "") },
    {
      ip: clientAddress(requestHeaders, env.TRUSTED_PROXIES),
      userAgent: requestHeaders.get("user-agent"),
    },
  );
  if (!outcome.ok) return { error: outcome.error, email };
  (await cookies()).set(SESSION_COOKIE, outcome.token, {
    httpOnly: true,
    sameSite: "lax",
    secure: isSecureHost(env.COOKIE_SECURE, requestHeaders),
    path: "/",
    expires: outcome.expiresAt,
  });
  redirect("/dashboard");
}

async function endSessions(everywhere: boolean): Promise<void> {
  // A cross-site page cannot log anyone out either.
  if (!isSameOrigin(await headers())) return;
  const session = await getSession();
  if (session) {
    const db = await getDb();
    if (everywhere) await deleteAllSessionsOfUser(db, session.user.id);
    else await deleteSession(db, session.sessionId);
  }
  (await cookies()).delete(SESSION_COOKIE);
  redirect("/login");
}

export async function logOutAction(): Promise<void> {
  await endSessions(false);
}

/** Ends every session of the signed-in user, on every browser. */
export async function logOutEverywhereAction(): Promise<void> {
  await endSessions(true);
}
