"use server";

import type { ClearCooldownInput } from "../../../server/observe/clear-cooldown";
import { clearCooldownAction } from "../../../server/observe/clear-cooldown-action";

// A thin "use server" entry point; the checks and the body live in server/observe.
export async function clearCooldown(input: ClearCooldownInput) {
  return clearCooldownAction(input);
}
