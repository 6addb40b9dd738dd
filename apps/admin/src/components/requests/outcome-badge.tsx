import { Badge, type BadgeTone } from "../ui/badge";

const TONE: Record<string, BadgeTone> = {
  ok: "green",
  client_error: "neutral",
  exhausted: "yellow",
  rate_limited: "yellow",
  quota_exhausted: "yellow",
  skipped_cooldown: "neutral",
  skipped_quota: "neutral",
  skipped_budget: "neutral",
  cancelled: "neutral",
};

/** A request or attempt outcome; failures red unless listed otherwise. */
export function OutcomeBadge({ outcome }: { outcome: string }) {
  return <Badge tone={TONE[outcome] ?? "red"}>{outcome.replaceAll("_", " ")}</Badge>;
}
