import { listChains } from "@429chain/db";
import type { Metadata } from "next";
import Link from "next/link";
import { ChainTable } from "../../../components/chains/chain-table";
import { LINK_BUTTON_CLASS, ReadOnlyNote } from "../../../components/providers/read-only-note";
import { EmptyState } from "../../../components/ui/empty-state";
import { hasRole, requireUser } from "../../../lib/auth";
import { getDb } from "../../../lib/services";

export const metadata: Metadata = { title: "Chains" };

export default async function ChainsPage() {
  const session = await requireUser();
  const canWrite = hasRole(session, "admin");
  const { chains } = await listChains(await getDb());
  return (
    <div className="space-y-6">
      <header className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold">Chains</h1>
          <p className="text-sm text-slate-600">
            A chain is an ordered list of provider + model entries. Clients name a chain as the
            model; the gateway tries its entries from the top until one has quota. A chat chain
            serves chat completions, messages and responses; an embeddings chain serves
            /v1/embeddings.
          </p>
        </div>
        {canWrite ? (
          <Link href="/chains/new" className={LINK_BUTTON_CLASS} data-testid="add-chain">
            New chain
          </Link>
        ) : null}
      </header>
      {canWrite ? null : <ReadOnlyNote what="chains" />}
      {chains.length === 0 ? (
        <EmptyState title="No chains yet">
          {canWrite ? (
            <>
              <Link href="/chains/new" className="text-indigo-700 underline">
                Create a chain
              </Link>{" "}
              from your providers. The first chain becomes the default chain.
            </>
          ) : (
            "An admin has to create a chain before the gateway can serve requests."
          )}
        </EmptyState>
      ) : (
        <ChainTable chains={chains} canWrite={canWrite} />
      )}
    </div>
  );
}
