import { listChainNames } from "@429chain/db";
import type { Metadata } from "next";
import { CreateKeyForm } from "../../../components/keys/create-key-form";
import { KeysTable } from "../../../components/keys/keys-table";
import { PageHeader } from "../../../components/shell/page-header";
import { Card } from "../../../components/ui/card";
import { EmptyState } from "../../../components/ui/empty-state";
import { hasRole, requireUser } from "../../../lib/auth";
import { getDb } from "../../../lib/services";
import { listKeysWithUsage, USAGE_DAYS } from "../../../server/keys/keys-with-usage";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage() {
  const session = await requireUser();
  const canWrite = hasRole(session, "admin");
  const db = await getDb();
  const [keys, chains] = await Promise.all([listKeysWithUsage(db), listChainNames(db)]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="API keys"
        description="Keys that clients send to the gateway as a Bearer token. Limits apply across every gateway replica; changes are live within a second."
      />
      {canWrite ? (
        <Card title="Create a key">
          <CreateKeyForm chains={chains} />
        </Card>
      ) : null}
      {keys.length === 0 ? (
        <EmptyState title="No API keys yet">
          {canWrite
            ? "Every request to the gateway needs a key: create one above (or with `pnpm cli keys create --name <name>`)."
            : "An admin can create keys here or with `pnpm cli keys create`."}
        </EmptyState>
      ) : (
        <KeysTable keys={keys} canWrite={canWrite} usageDays={USAGE_DAYS} />
      )}
    </div>
  );
}
