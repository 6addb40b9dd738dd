import type { Session } from "../../lib/auth";
import { authorize } from "../../lib/auth";
import { toResponse } from "../../lib/http-errors";
import type { LiveState } from "./live-state";
import type { LiveHub } from "./live-state-hub";
import {
  createLiveStream,
  type LiveStreamOptions,
  nextEvent,
  SSE_HEADERS,
} from "./rate-limit-stream";

export interface LiveStreamHandlerDeps<T> {
  session: () => Promise<Session | null>;
  /** Whether the session that opened a stream is still live; asked on every heartbeat. */
  isLive: (session: Session) => Promise<boolean>;
  /** null with neither REDIS_URL nor GATEWAY_CONTROL_URL. */
  hub: () => Promise<LiveHub<T> | null>;
  heartbeatMs: number;
}

export const LIVE_STATE_UNAVAILABLE =
  "Live state needs Redis (REDIS_URL) or a gateway's control API (GATEWAY_CONTROL_URL and GATEWAY_CONTROL_TOKEN) for the admin.";

/** GET handler of the Rate limits page's event stream. */
export function createRateLimitStreamHandler(deps: LiveStreamHandlerDeps<LiveState>) {
  return createLiveStreamHandler(deps, nextEvent);
}

/** GET handler of a live view's event stream; any signed-in role may watch. */
export function createLiveStreamHandler<T>(
  deps: LiveStreamHandlerDeps<T>,
  next: LiveStreamOptions<T>["next"],
) {
  return async (request: Request): Promise<Response> => {
    try {
      const session = authorize(await deps.session(), "viewer");
      const hub = await deps.hub();
      if (!hub) {
        return Response.json({ error: LIVE_STATE_UNAVAILABLE }, { status: 503 });
      }
      const stream = createLiveStream({
        hub,
        next,
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
