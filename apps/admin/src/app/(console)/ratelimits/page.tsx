import type { Metadata } from "next";
import { LiveRateLimits } from "../../../components/ratelimits/live-rate-limits";
import { EmptyState } from "../../../components/ui/empty-state";
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
          Every entry's state as the gateways see it in Redis, pushed as it changes.
        </p>
      </div>
      {services ? (
        <LiveRateLimits initial={await services.live.read()} canClear={hasRole(session, "admin")} />
      ) : (
        <EmptyState title="Live state needs Redis (REDIS_URL)">
          Without Redis each gateway keeps its quota state in its own memory, where the admin cannot
          see it. Run the gateways and the admin with the same REDIS_URL (and REDIS_KEY_PREFIX) to
          watch it here.
        </EmptyState>
      )}
    </div>
  );
}
