import { ConfigWriteError, getProvider, listChains, type ProviderView } from "@429chain/db";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { defaultBaseUrls } from "../../../../components/providers/default-base-urls";
import { ProviderActionsMenu } from "../../../../components/providers/provider-actions-menu";
import { ProviderForm } from "../../../../components/providers/provider-form";
import { ReadOnlyNote } from "../../../../components/providers/read-only-note";
import { TestConnectionPanel } from "../../../../components/providers/test-connection-panel";
import { Card } from "../../../../components/ui/card";
import { hasRole, requireUser } from "../../../../lib/auth";
import { adminEnv } from "../../../../lib/env";
import { getDb } from "../../../../lib/services";

export const metadata: Metadata = { title: "Provider" };

interface PageProps {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ saved?: string }>;
}

async function findProvider(id: string): Promise<ProviderView> {
  try {
    return await getProvider(await getDb(), id, { masterKey: adminEnv().MASTER_KEY });
  } catch (err) {
    if (err instanceof ConfigWriteError && err.code === "not_found") notFound();
    throw err;
  }
}

export default async function ProviderPage({ params, searchParams }: PageProps) {
  const session = await requireUser();
  const canWrite = hasRole(session, "admin");
  const id = decodeURIComponent((await params).id);
  const { saved } = await searchParams;
  const provider = await findProvider(id);
  const { chains } = await listChains(await getDb());
  const models = new Set([
    ...chains.flatMap((c) => c.entries.filter((e) => e.provider === id).map((e) => e.model)),
    ...Object.keys(provider.modelRateLimits ?? {}),
  ]);
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <Link href="/providers" className="text-sm text-indigo-700 hover:underline">
          ← Providers
        </Link>
        <h1 className="text-xl font-semibold">
          Provider <span data-testid="provider-id">{provider.id}</span>
        </h1>
        {saved ? (
          <p
            role="status"
            data-testid="provider-created-status"
            className="text-sm text-emerald-700"
          >
            Provider created. Config version {saved}.
          </p>
        ) : null}
      </header>
      {canWrite ? null : <ReadOnlyNote what="providers" />}
      <div className="grid gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <ProviderForm
          key={String(provider.enabled)}
          provider={provider}
          defaultBaseUrls={defaultBaseUrls()}
          canWrite={canWrite}
        />
        <div className="space-y-6">
          <Card title="Test connection">
            <TestConnectionPanel
              providerId={provider.id}
              suggestedModels={[...models]}
              canWrite={canWrite}
            />
          </Card>
          <Card title="Disable or delete">
            <p className="mb-3 text-sm text-slate-600">
              {provider.usedByChains.length > 0
                ? `Used by ${provider.usedByChains.join(", ")}: remove it from those chains before deleting it.`
                : "No chain uses this provider."}
            </p>
            <ProviderActionsMenu
              providerId={provider.id}
              enabled={provider.enabled}
              canWrite={canWrite}
              afterDelete="/providers"
            />
          </Card>
        </div>
      </div>
    </div>
  );
}
