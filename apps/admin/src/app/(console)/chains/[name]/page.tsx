import { listChains, listProviders } from "@429chain/db";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ChainActionsMenu } from "../../../../components/chains/chain-actions-menu";
import { ChainAffinityBadge } from "../../../../components/chains/chain-affinity-badge";
import { ChainEditor } from "../../../../components/chains/chain-editor";
import { ChainKindBadge } from "../../../../components/chains/chain-kind-badge";
import { editorOptions } from "../../../../components/chains/editor-options";
import { ReadOnlyNote } from "../../../../components/providers/read-only-note";
import { Badge } from "../../../../components/ui/badge";
import { hasRole, requireUser } from "../../../../lib/auth";
import { adminEnv } from "../../../../lib/env";
import { getDb } from "../../../../lib/services";

export const metadata: Metadata = { title: "Chain" };

interface PageProps {
  params: Promise<{ name: string }>;
  searchParams: Promise<{ saved?: string }>;
}

export default async function ChainPage({ params, searchParams }: PageProps) {
  const session = await requireUser();
  const canWrite = hasRole(session, "admin");
  const name = decodeURIComponent((await params).name);
  const { saved } = await searchParams;
  const db = await getDb();
  const { chains } = await listChains(db);
  const chain = chains.find((c) => c.name === name);
  if (!chain) notFound();
  const providers = await listProviders(db, { masterKey: adminEnv().MASTER_KEY });
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <Link href="/chains" className="text-sm text-indigo-700 hover:underline">
          ← Chains
        </Link>
        <div className="flex flex-wrap items-center justify-between gap-4">
          <h1 className="flex items-center gap-2 text-xl font-semibold">
            Chain <span data-testid="chain-name">{chain.name}</span>
            <ChainKindBadge chain={chain} />
            <ChainAffinityBadge chain={chain} />
            {chain.isDefault ? <Badge tone="blue">default</Badge> : null}
          </h1>
          <ChainActionsMenu
            chain={chain.name}
            isDefault={chain.isDefault}
            canWrite={canWrite}
            afterDelete="/chains"
          />
        </div>
        {saved ? (
          <p role="status" data-testid="chain-created-status" className="text-sm text-emerald-700">
            Chain created. Config version {saved}.
          </p>
        ) : null}
      </header>
      {canWrite ? null : <ReadOnlyNote what="chains" />}
      <ChainEditor chain={chain} {...editorOptions(providers, chains)} canWrite={canWrite} />
    </div>
  );
}
