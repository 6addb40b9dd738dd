import { getSession } from "../../../../lib/auth";
import { getObserveServices } from "../../../../server/observe/observe-services";
import { createRateLimitStreamHandler } from "../../../../server/observe/rate-limit-stream-handler";

export const GET = createRateLimitStreamHandler({
  session: getSession,
  hub: async () => (await getObserveServices())?.hub ?? null,
  heartbeatMs: 15_000,
});
