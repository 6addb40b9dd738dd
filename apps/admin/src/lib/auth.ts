import { type SessionUser, type UserRole, type ValidSession, validateSession } from "@429chain/db";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { adminEnv } from "./env";
import { CrossSiteError, ForbiddenError, UnauthenticatedError } from "./errors";
import { isSameOrigin } from "./origin";
import { getDb } from "./services";

export { CrossSiteError, ForbiddenError, UnauthenticatedError } from "./errors";

export type Role = UserRole;
export type { SessionUser };
export type Session = ValidSession;

export const SESSION_COOKIE = "429chain_session";

/** admin may do everything a viewer may. */
export function hasRole(session: Session, role: Role): boolean {
  return role === "viewer" || session.user.role === "admin";
}

/** The session for `role`, or the typed error saying why not. */
export function authorize(session: Session | null, role: Role): Session {
  if (!session) throw new UnauthenticatedError();
  if (!hasRole(session, role)) {
    throw new ForbiddenError(
      `Only admins may do this; you are signed in as a ${session.user.role}.`,
    );
  }
  return session;
}

/** The signed-in user of this request, or null; looked up once per request. */
export const getSession = cache(async (): Promise<Session | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return validateSession(await getDb(), token, adminEnv().SESSION_IDLE_MINUTES * 60_000);
});

/** For pages and layouts: the session, or a redirect to /login. */
export async function requireUser(): Promise<Session> {
  const session = await getSession();
  if (!session) redirect("/login");
  return session;
}

/**
 * For route handlers: the session when it has `role`; throws UnauthenticatedError or
 * ForbiddenError (see http-errors.ts). Pass the request of a write so its Origin is checked.
 */
export async function requireRole(role: Role, write?: { request: Request }): Promise<Session> {
  if (write && !isSameOrigin(write.request.headers)) throw new CrossSiteError();
  return authorize(await getSession(), role);
}
