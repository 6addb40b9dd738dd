import "server-only";
import type { EntryStatus } from "@429chain/contracts";
import { getObserveServices } from "../observe/observe-services";

/** How many of a provider's entries are in each live status. */
export type ProviderLiveCounts = Partial<Record<EntryStatus, number>>;

export type ProviderLiveStates =
  /** Neither REDIS_URL nor a gateway control API: the gateways' state is out of reach. */
  | { kind: "off" }
  | { kind: "error"; message: string }
  | { kind: "ok"; byProvider: Record<string, ProviderLiveCounts> };

/** The gateways' live entry states (Redis or the control API), counted per provider. */
export async function providerLiveStates(): Promise<ProviderLiveStates> {
  const services = await getObserveServices();
  if (!services) return { kind: "off" };
  const state = await services.live.read();
  if (state.kind === "error") return { kind: "error", message: state.message };
  const byProvider: Record<string, ProviderLiveCounts> = {};
  for (const e of state.kind === "ok" ? state.entries : []) {
    const counts = byProvider[e.provider] ?? {};
    counts[e.status] = (counts[e.status] ?? 0) + 1;
    byProvider[e.provider] = counts;
  }
  return { kind: "ok", byProvider };
}
