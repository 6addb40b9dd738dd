import type { ChainView } from "@429chain/db";
import Link from "next/link";
import { Badge } from "../ui/badge";
import { Card } from "../ui/card";
import { ChainActionsMenu } from "./chain-actions-menu";
import { ChainAffinityBadge } from "./chain-affinity-badge";
import { ChainKindBadge } from "./chain-kind-badge";

export function ChainTable({ chains, canWrite }: { chains: ChainView[]; canWrite: boolean }) {
  return (
    <div className="space-y-4" data-testid="chain-list">
      {chains.map((chain) => (
        <div key={chain.name} data-testid="chain-row" data-chain={chain.name}>
          <Card
            title={
              <span className="flex items-center gap-2">
                <Link
                  href={`/chains/${encodeURIComponent(chain.name)}`}
                  className="text-indigo-700 hover:underline"
                >
                  {chain.name}
                </Link>
                <ChainKindBadge chain={chain} />
                <ChainAffinityBadge chain={chain} />
                {chain.isDefault ? <Badge tone="blue">default</Badge> : null}
              </span>
            }
            actions={
              <ChainActionsMenu
                chain={chain.name}
                isDefault={chain.isDefault}
                canWrite={canWrite}
              />
            }
          >
            <ol className="space-y-1 text-sm">
              {chain.entries.map((e, i) => (
                <li
                  key={i}
                  className={`flex items-center gap-2 ${e.enabled ? "" : "text-slate-400 line-through"}`}
                >
                  <span className="w-5 text-right tabular-nums text-slate-500">{i + 1}.</span>
                  <span>
                    {e.provider} / {e.model}
                  </span>
                  {e.enabled ? null : <Badge>entry disabled</Badge>}
                  {e.providerEnabled ? null : <Badge tone="yellow">provider disabled</Badge>}
                </li>
              ))}
            </ol>
          </Card>
        </div>
      ))}
    </div>
  );
}
