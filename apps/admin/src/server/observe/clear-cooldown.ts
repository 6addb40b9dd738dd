import type { EntryState } from "@429chain/contracts";
import { type Db, writeAudit } from "@429chain/db";
import type { QuotaStateReader } from "@429chain/quota";
import { z } from "zod";
import { ActionError } from "../../lib/errors";
import type { LiveStateReader } from "./live-state";

export const ClearCooldownInputSchema = z.object({
  provider: z.string().trim().min(1, "provider is required"),
  model: z.string().trim().min(1, "model is required"),
});
export type ClearCooldownInput = z.infer<typeof ClearCooldownInputSchema>;

export class UnknownEntryError extends ActionError {
  constructor(label: string) {
    super(404, `No enabled chain uses the entry ${label}.`);
  }
}

const summary = (s: EntryState) => ({
  status: s.status,
  reason: s.reason,
  cooldownUntil: s.cooldownUntil,
  consecutiveFailures: s.consecutiveFailures,
});

/**
 * Removes an entry's cooldowns, breaker state and header windows in Redis (the gateways read
 * them on their next pick) and records who did it. Quota state is not config: no version bump.
 */
export async function clearEntryCooldown(
  deps: { db: Db; quota: QuotaStateReader; live: LiveStateReader },
  actor: string,
  input: ClearCooldownInput,
): Promise<EntryState> {
  const label = `${input.provider}/${input.model}`;
  const entry = (await deps.live.entries())?.find((e) => e.label === label);
  if (!entry) throw new UnknownEntryError(label);
  const [before] = await deps.quota.entryStates([entry.policy]);
  await deps.quota.clearCooldown(entry.policy);
  const [after] = await deps.quota.entryStates([entry.policy]);
  await writeAudit(deps.db, {
    actor,
    action: "ratelimit.clear_cooldown",
    target: `entry:${label}`,
    ...(before ? { before: summary(before) } : {}),
    ...(after ? { after: summary(after) } : {}),
  });
  return after!;
}
