import type { ChainView } from "@429chain/db";
import { Badge } from "../ui/badge";

/** Shown when a chain keeps conversations on their entry. */
export function ChainAffinityBadge({ chain }: { chain: Pick<ChainView, "affinity"> }) {
  if (chain.affinity === null) return null;
  return (
    <span data-testid="chain-affinity-badge">
      <Badge tone="neutral">{chain.affinity} affinity</Badge>
    </span>
  );
}
