import type { ProviderType } from "@429chain/contracts";
import type { ProviderView } from "@429chain/db";
import Link from "next/link";
import type { ProviderLiveStates } from "../../server/providers/provider-live-states";
import { Badge } from "../ui/badge";
import { Table, TBody, Td, THead, Th, Tr } from "../ui/table";
import { LiveStateBadges } from "./live-state-badges";
import { ProviderActionsMenu } from "./provider-actions-menu";

interface ProviderTableProps {
  providers: ProviderView[];
  /** Shown greyed for providers without a base URL of their own. */
  defaultBaseUrls: Record<ProviderType, string | null>;
  /** Entry states of the gateways; the column is left out when the admin cannot read them. */
  live: ProviderLiveStates;
  canWrite: boolean;
}

export function ProviderTable({ providers, defaultBaseUrls, live, canWrite }: ProviderTableProps) {
  return (
    <Table data-testid="provider-table">
      <THead>
        <tr>
          <Th>Provider</Th>
          <Th>Type</Th>
          <Th>Base URL</Th>
          <Th>Key</Th>
          <Th>State</Th>
          <Th>Used by</Th>
          {live.kind === "off" ? null : <Th>Live state</Th>}
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </THead>
      <TBody>
        {providers.map((p) => (
          <Tr key={p.id} data-testid="provider-row" data-provider={p.id}>
            <Td>
              <Link
                href={`/providers/${encodeURIComponent(p.id)}`}
                className="font-medium text-indigo-700 hover:underline"
              >
                {p.id}
              </Link>
              <div className="text-xs text-slate-500">{p.name}</div>
            </Td>
            <Td>{p.type}</Td>
            <Td className="max-w-64 truncate text-xs">
              {p.baseUrl ?? (
                <span className="text-slate-400" title="built-in URL of this type">
                  {defaultBaseUrls[p.type]}
                </span>
              )}
            </Td>
            <Td>
              <code className="text-xs">{p.maskedApiKey}</code>
            </Td>
            <Td>
              <Badge tone={p.enabled ? "green" : "neutral"}>
                {p.enabled ? "enabled" : "disabled"}
              </Badge>
            </Td>
            <Td className="text-xs">
              {p.usedByChains.length > 0 ? (
                p.usedByChains.join(", ")
              ) : (
                <span className="text-slate-400">no chain</span>
              )}
            </Td>
            {live.kind === "off" ? null : (
              <Td>
                {live.kind === "ok" ? (
                  <LiveStateBadges counts={live.byProvider[p.id]} />
                ) : (
                  <span className="text-xs text-red-700" title={live.message}>
                    unavailable
                  </span>
                )}
              </Td>
            )}
            <Td>
              <ProviderActionsMenu providerId={p.id} enabled={p.enabled} canWrite={canWrite} />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
