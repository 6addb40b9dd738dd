"use server";

import "server-only";
import { defineAction } from "../../lib/action";
import { ActionError } from "../../lib/errors";
import { ClearCooldownInputSchema, clearEntryCooldown } from "./clear-cooldown";
import { getObserveServices } from "./observe-services";
import { LIVE_STATE_UNAVAILABLE } from "./rate-limit-stream-handler";

/** Admins only; audited. The live view shows the result through its stream. */
export const clearCooldownAction = defineAction({
  role: "admin",
  input: ClearCooldownInputSchema,
  async run(session, input) {
    const services = await getObserveServices();
    if (!services) {
      throw new ActionError(503, LIVE_STATE_UNAVAILABLE);
    }
    return clearEntryCooldown(services, session.user.email, input);
  },
});
