import type { EntryStatus } from "@429chain/contracts";
import type { ProviderLiveCounts } from "../../server/providers/provider-live-states";
import { Badge, type BadgeTone } from "../ui/badge";

// Most urgent first.
const STATUSES: { status: EntryStatus; label: string; tone: BadgeTone }[] = [
  { status: "auth_failed", label: "auth failed", tone: "red" },
  { status: "circuit_open", label: "circuit open", tone: "red" },
  { status: "cooling_down", label: "cooling down", tone: "yellow" },
  { status: "tracking", label: "tracking", tone: "blue" },
  { status: "available", label: "available", tone: "green" },
];

/** A provider's entries by live status, e.g. "1 cooling down · 2 available". */
export function LiveStateBadges({ counts }: { counts: ProviderLiveCounts | undefined }) {
  const present = STATUSES.filter((s) => (counts?.[s.status] ?? 0) > 0);
  if (present.length === 0) return <span className="text-xs text-slate-400">not in a chain</span>;
  return (
    <span className="flex flex-wrap gap-1" data-testid="provider-live-state">
      {present.map((s) => (
        <Badge key={s.status} tone={s.tone}>
          {counts?.[s.status]} {s.label}
        </Badge>
      ))}
    </span>
  );
}
