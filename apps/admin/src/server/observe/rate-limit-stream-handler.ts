import type { Session } from "../../lib/auth";
import { authorize } from "../../lib/auth";
import { toResponse } from "../../lib/http-errors";
import type { LiveStateHub } from "./live-state-hub";
import { createRateLimitStream, SSE_HEADERS } from "./rate-limit-stream";

export interface RateLimitStreamHandlerDeps {
  session: () => Promise<Session | null>;
  /** Whether the session that opened a stream is still live; asked on every heartbeat. */
  isLive: (session: Session) => Promise<boolean>;
  /** null without REDIS_URL. */
  hub: () => Promise<LiveStateHub | null>;
  heartbeatMs: number;
}

/** GET handler of the live view's event stream; any signed-in role may watch. */
export function createRateLimitStreamHandler(deps: RateLimitStreamHandlerDeps) {
  return async (request: Request): Promise<Response> => {
    try {
      const session = authorize(await deps.session(), "viewer");
      const hub = await deps.hub();
      if (!hub) {
        return Response.json(
          { error: "Live rate-limit state needs Redis: set REDIS_URL for the admin." },
          { status: 503 },
        );
      }
      const stream = createRateLimitStream({
        hub,
        signal: request.signal,
        heartbeatMs: deps.heartbeatMs,
        stillAllowed: () => deps.isLive(session),
      });
      return new Response(stream, { headers: SSE_HEADERS });
    } catch (err) {
      return toResponse(err);
    }
  };
}
