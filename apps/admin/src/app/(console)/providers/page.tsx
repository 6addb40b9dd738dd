import { listProviders } from "@429chain/db";
import type { Metadata } from "next";
import Link from "next/link";
import { defaultBaseUrls } from "../../../components/providers/default-base-urls";
import { ProviderTable } from "../../../components/providers/provider-table";
import { LINK_BUTTON_CLASS, ReadOnlyNote } from "../../../components/providers/read-only-note";
import { EmptyState } from "../../../components/ui/empty-state";
import { hasRole, requireUser } from "../../../lib/auth";
import { adminEnv } from "../../../lib/env";
import { getDb } from "../../../lib/services";
import { providerLiveStates } from "../../../server/providers/provider-live-states";

export const metadata: Metadata = { title: "Providers" };

export default async function ProvidersPage() {
  const session = await requireUser();
  const canWrite = hasRole(session, "admin");
  const providers = await listProviders(await getDb(), { masterKey: adminEnv().MASTER_KEY });
  return (
    <div className="space-y-6">
      <header className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold">Providers</h1>
          <p className="text-sm text-slate-600">
            Upstream accounts the gateway sends requests to. Keys are stored encrypted and shown
            masked.
          </p>
        </div>
        {canWrite ? (
          <Link href="/providers/new" className={LINK_BUTTON_CLASS} data-testid="add-provider">
            Add provider
          </Link>
        ) : null}
      </header>
      {canWrite ? null : <ReadOnlyNote what="providers" />}
      {providers.length === 0 ? (
        <EmptyState title="No providers yet">
          {canWrite ? (
            <>
              <Link href="/providers/new" className="text-indigo-700 underline">
                Add a provider
              </Link>{" "}
              with its API key, then create a chain that uses it.
            </>
          ) : (
            "An admin has to add a provider and a chain before the gateway can serve requests."
          )}
        </EmptyState>
      ) : (
        <ProviderTable
          providers={providers}
          defaultBaseUrls={defaultBaseUrls()}
          live={await providerLiveStates()}
          canWrite={canWrite}
        />
      )}
    </div>
  );
}
