import { listChains, PLAYGROUND_KEY_NAME } from "@429chain/db";
import type { Metadata } from "next";
import { Playground } from "../../../components/playground/playground";
import { EmptyState } from "../../../components/ui/empty-state";
import { hasRole, requireUser } from "../../../lib/auth";
import { adminEnv } from "../../../lib/env";
import { getDb } from "../../../lib/services";

export const metadata: Metadata = { title: "Playground · 429chain" };

export default async function PlaygroundPage() {
  const session = await requireUser();
  const list = await listChains(await getDb());
  const chains = list.chains.map((c) => ({ name: c.name, kind: c.kind }));
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Playground</h1>
        <p className="text-sm text-slate-600">
          Sends a prompt through the gateway at{" "}
          <span className="font-mono">{adminEnv().GATEWAY_URL}</span> with the console's own client
          key <span className="font-mono">{PLAYGROUND_KEY_NAME}</span> (created on first use): a
          chat completion or a Responses API call on a chat chain, streamed, or an embedding on an
          embeddings chain. It counts against quotas like any request.
        </p>
      </div>
      {!hasRole(session, "admin") ? (
        <EmptyState title="The playground is for admins">
          It may create a client key and spends provider quota; ask an admin to try a chain for you.
        </EmptyState>
      ) : chains.length === 0 ? (
        <EmptyState title="No chain to try yet">
          Add a provider and a chain first (Providers, Chains), then come back.
        </EmptyState>
      ) : (
        <Playground chains={chains} defaultChain={list.defaultChain} />
      )}
    </div>
  );
}
