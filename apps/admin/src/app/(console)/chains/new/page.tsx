import { listChains, listProviders } from "@429chain/db";
import type { Metadata } from "next";
import Link from "next/link";
import { ChainEditor } from "../../../../components/chains/chain-editor";
import { editorOptions } from "../../../../components/chains/editor-options";
import { ReadOnlyNote } from "../../../../components/providers/read-only-note";
import { EmptyState } from "../../../../components/ui/empty-state";
import { hasRole, requireUser } from "../../../../lib/auth";
import { adminEnv } from "../../../../lib/env";
import { getDb } from "../../../../lib/services";

export const metadata: Metadata = { title: "New chain" };

export default async function NewChainPage() {
  const session = await requireUser();
  const canWrite = hasRole(session, "admin");
  const db = await getDb();
  const providers = await listProviders(db, { masterKey: adminEnv().MASTER_KEY });
  const { chains } = await listChains(db);
  const options = editorOptions(providers, chains);
  return (
    <div className="space-y-6">
      <header>
        <Link href="/chains" className="text-sm text-indigo-700 hover:underline">
          ← Chains
        </Link>
        <h1 className="text-xl font-semibold">New chain</h1>
      </header>
      {canWrite ? null : <ReadOnlyNote what="chains" />}
      {providers.length === 0 ? (
        <EmptyState title="Add a provider first">
          A chain lists provider + model entries.{" "}
          <Link href="/providers/new" className="text-indigo-700 underline">
            Add a provider
          </Link>
          , then come back to create the chain.
        </EmptyState>
      ) : (
        <ChainEditor chain={null} {...options} canWrite={canWrite} />
      )}
    </div>
  );
}
