import "server-only";
import { requireRole } from "../../lib/auth";
import { adminEnv } from "../../lib/env";
import { toResponse } from "../../lib/http-errors";
import { getDb, publishConfigChanged } from "../../lib/services";
import { PlaygroundInputSchema } from "./playground-input";
import { ensurePlaygroundKey } from "./playground-key";
import { sendPlayground } from "./playground-send";

/** A new key normally reaches the gateways within a second (Redis pub/sub). */
const NEW_KEY_WAIT_MS = 5_000;

/**
 * POST /api/playground: admins only (it may create the playground's client key), same-origin
 * only. Relays the gateway's answer (chat, Responses, embeddings); the prompt is never logged.
 */
export async function handlePlaygroundRequest(request: Request): Promise<Response> {
  try {
    const session = await requireRole("admin", { request });
    const parsed = PlaygroundInputSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "(root)");
        fieldErrors[field] = [...(fieldErrors[field] ?? []), issue.message];
      }
      const error = parsed.error.issues.map((i) => i.message).join("; ");
      return Response.json({ error, fieldErrors }, { status: 400 });
    }
    const env = adminEnv();
    const db = await getDb();
    return await sendPlayground(
      {
        gatewayUrl: env.GATEWAY_URL,
        key: async () => {
          const key = await ensurePlaygroundKey(db, env.MASTER_KEY, session.user.email);
          if (key.createdVersion !== null) await publishConfigChanged(key.createdVersion);
          return key;
        },
        newKeyWaitMs: NEW_KEY_WAIT_MS,
        retryDelayMs: 250,
      },
      parsed.data,
      request.signal,
    );
  } catch (err) {
    // The browser went away (stop button, navigation): nobody to answer.
    if (request.signal.aborted) return new Response(null, { status: 499 });
    return toResponse(err);
  }
}
