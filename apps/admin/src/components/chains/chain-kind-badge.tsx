import type { ChainView } from "@429chain/db";
import { Badge } from "../ui/badge";

/** What a chain serves, and an embeddings chain's fixed vector length when it has one. */
export function ChainKindBadge({ chain }: { chain: Pick<ChainView, "kind" | "dimensions"> }) {
  return (
    <span data-testid="chain-kind-badge">
      <Badge tone={chain.kind === "chat" ? "neutral" : "green"}>
        {chain.kind}
        {chain.dimensions === null ? "" : ` · ${chain.dimensions} dimensions`}
      </Badge>
    </span>
  );
}
