import type { Metadata } from "next";
import { LiveRateLimits } from "../../../components/ratelimits/live-rate-limits";
import { LiveStateUnavailable } from "../../../components/ratelimits/live-state-unavailable";
import { hasRole, requireUser } from "../../../lib/auth";
import { getObserveServices } from "../../../server/observe/observe-services";

export const metadata: Metadata = { title: "Rate limits · 429chain" };

export default async function RateLimitsPage() {
  const session = await requireUser();
  const services = await getObserveServices();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Rate limits (live)</h1>
        <p className="text-sm text-slate-600">
          {services?.source === "gateway"
            ? "Every entry's state as the gateway holds it, pushed as it changes."
            : "Every entry's state as the gateways see it in Redis, pushed as it changes."}
        </p>
      </div>
      {services ? (
        <LiveRateLimits initial={await services.live.read()} canClear={hasRole(session, "admin")} />
      ) : (
        <LiveStateUnavailable />
      )}
    </div>
  );
}
