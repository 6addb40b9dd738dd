import type { Metadata } from "next";
import Link from "next/link";
import { defaultBaseUrls } from "../../../../components/providers/default-base-urls";
import { ProviderForm } from "../../../../components/providers/provider-form";
import { ReadOnlyNote } from "../../../../components/providers/read-only-note";
import { hasRole, requireUser } from "../../../../lib/auth";

export const metadata: Metadata = { title: "Add provider" };

export default async function NewProviderPage() {
  const session = await requireUser();
  const canWrite = hasRole(session, "admin");
  return (
    <div className="space-y-6">
      <header>
        <Link href="/providers" className="text-sm text-indigo-700 hover:underline">
          ← Providers
        </Link>
        <h1 className="text-xl font-semibold">Add provider</h1>
      </header>
      {canWrite ? null : <ReadOnlyNote what="providers" />}
      <ProviderForm provider={null} defaultBaseUrls={defaultBaseUrls()} canWrite={canWrite} />
    </div>
  );
}
