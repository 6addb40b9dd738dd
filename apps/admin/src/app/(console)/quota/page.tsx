import type { Metadata } from "next";
import { LiveQuota } from "../../../components/quota/live-quota";
import { LiveStateUnavailable } from "../../../components/ratelimits/live-state-unavailable";
import { requireUser } from "../../../lib/auth";
import { getObserveServices } from "../../../server/observe/observe-services";

export const metadata: Metadata = { title: "Quota · 429chain" };

export default async function QuotaPage() {
  await requireUser();
  const services = await getObserveServices();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Quota (live)</h1>
        <p className="text-sm text-slate-600">
          Per chain: what each entry has left, when the chain runs out at the current rate, and the
          resets ahead{services?.source === "gateway" ? ", as the gateway holds them" : ""}.
        </p>
      </div>
      {services ? <LiveQuota initial={await services.quotaView()} /> : <LiveStateUnavailable />}
    </div>
  );
}
