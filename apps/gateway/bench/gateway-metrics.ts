import { request } from "undici";

export const ROUND_TRIPS_METRIC = "gateway_state_store_round_trips_total";

/** Sum of every sample of a counter on /metrics; null when the gateway does not expose it. */
export async function scrapeCounter(gatewayUrl: string, name: string): Promise<number | null> {
  const res = await request(`${gatewayUrl}/metrics`);
  const text = await res.body.text();
  let found = false;
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== " " && rest[0] !== "{") continue;
    const value = Number(line.split(" ").at(-1));
    if (Number.isFinite(value)) {
      found = true;
      total += value;
    }
  }
  return found ? total : null;
}
