import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { authorize, getSession, type Role, type Session } from "./auth";
import { CrossSiteError, describeError } from "./errors";
import { type HeaderSource, isSameOrigin } from "./origin";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; error: string; fieldErrors?: Record<string, string[]> };

/** What an action checks besides its input: who calls, and from which site. */
export interface ActionContext {
  session: Session | null;
  headers: HeaderSource;
}

interface ActionDefinition<S extends z.ZodType, T> {
  /** The least role allowed; "viewer" admits admins too. */
  role: Role;
  input: S;
  /** The action's body: a plain function of the caller's session and the parsed input. */
  run(session: Session, input: z.output<S>): Promise<T>;
}

type ActionInput<S extends z.ZodType> = z.input<S> | FormData;
type ActionFn<S extends z.ZodType, T> = (input: ActionInput<S>) => Promise<ActionResult<T>>;

export type ServerAction<S extends z.ZodType, T> = ActionFn<S, T> & {
  /** The same pipeline against a given session and headers instead of the request's. */
  withContext(context: ActionContext): ActionFn<S, T>;
};

/** Repeated names become arrays; empty fields count as not given. */
function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = form.getAll(key).filter((v) => v !== "");
    if (values.length === 0) continue;
    out[key] = values.length === 1 && !key.endsWith("[]") ? values[0] : values;
  }
  return out;
}

function zodFailure(error: z.ZodError): ActionResult<never> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : "(root)";
    fieldErrors[field] = [...(fieldErrors[field] ?? []), issue.message];
  }
  const lines = error.issues.map((i) =>
    i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message,
  );
  return { ok: false, status: 400, error: lines.join("; "), fieldErrors };
}

/**
 * A server action that refuses cross-site calls, checks the session's role, validates its
 * input with zod and turns known errors into specific messages. Export the result from a
 * "use server" file; a viewer calling an admin action gets status 403 and nothing runs.
 */
export function defineAction<S extends z.ZodType, T>(
  definition: ActionDefinition<S, T>,
): ServerAction<S, T> {
  const withContext =
    (context: ActionContext): ActionFn<S, T> =>
    async (input) => {
      try {
        // Next.js compares Origin for server actions as well; this keeps the rule explicit.
        if (!isSameOrigin(context.headers)) throw new CrossSiteError();
        const session = authorize(context.session, definition.role);
        const raw = input instanceof FormData ? formDataToObject(input) : input;
        const parsed = definition.input.safeParse(raw);
        if (!parsed.success) return zodFailure(parsed.error);
        return { ok: true, data: await definition.run(session, parsed.data) };
      } catch (err) {
        // redirect() and notFound() inside an action are control flow for Next.js.
        unstable_rethrow(err);
        const { status, error, fieldErrors } = describeError(err);
        return fieldErrors
          ? { ok: false, status, error, fieldErrors }
          : { ok: false, status, error };
      }
    };
  const action: ActionFn<S, T> = async (input) =>
    withContext({ session: await getSession(), headers: await headers() })(input);
  return Object.assign(action, { withContext });
}
