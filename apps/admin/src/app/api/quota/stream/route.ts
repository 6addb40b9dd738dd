import { isSessionLive } from "@429chain/db";
import { getSession } from "../../../../lib/auth";
import { adminEnv } from "../../../../lib/env";
import { getDb } from "../../../../lib/services";
import { getObserveServices } from "../../../../server/observe/observe-services";
import { nextQuotaEvent } from "../../../../server/observe/quota-view";
import { createLiveStreamHandler } from "../../../../server/observe/rate-limit-stream-handler";

export const GET = createLiveStreamHandler(
  {
    session: getSession,
    isLive: async (session) =>
      isSessionLive(await getDb(), session.sessionId, adminEnv().SESSION_IDLE_MINUTES * 60_000),
    hub: async () => (await getObserveServices())?.quotaHub ?? null,
    heartbeatMs: 15_000,
  },
  nextQuotaEvent,
);
