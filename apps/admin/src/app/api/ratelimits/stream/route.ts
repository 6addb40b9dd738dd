import { isSessionLive } from "@429chain/db";
import { getSession } from "../../../../lib/auth";
import { adminEnv } from "../../../../lib/env";
import { getDb } from "../../../../lib/services";
import { getObserveServices } from "../../../../server/observe/observe-services";
import { createRateLimitStreamHandler } from "../../../../server/observe/rate-limit-stream-handler";

export const GET = createRateLimitStreamHandler({
  session: getSession,
  isLive: async (session) =>
    isSessionLive(await getDb(), session.sessionId, adminEnv().SESSION_IDLE_MINUTES * 60_000),
  hub: async () => (await getObserveServices())?.hub ?? null,
  heartbeatMs: 15_000,
});
