import type { EntryStatus } from "@429chain/contracts";
import { Badge, type BadgeTone } from "../ui/badge";

const LOOK: Record<EntryStatus, { tone: BadgeTone; text: string }> = {
  available: { tone: "green", text: "available" },
  tracking: { tone: "blue", text: "tracking" },
  cooling_down: { tone: "yellow", text: "cooling down" },
  circuit_open: { tone: "red", text: "circuit open" },
  auth_failed: { tone: "red", text: "auth failed" },
};

export function StatusBadge({ status }: { status: EntryStatus }) {
  const look = LOOK[status];
  return (
    <span data-testid="ratelimit-status" data-status={status}>
      <Badge tone={look.tone}>{look.text}</Badge>
    </span>
  );
}
