import type { StatsOverview } from "@429chain/db";
import { formatCompact, formatInt, formatMs, formatPercent, formatUsd } from "./format";
import { StatTile } from "./stat-tile";

export function DashboardTiles({ overview: o }: { overview: StatsOverview }) {
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
      <StatTile label="Requests" value={formatInt(o.requests)} />
      <StatTile
        label="Success rate"
        value={formatPercent(o.successRate)}
        detail={`${formatInt(o.successes)} served`}
      />
      <StatTile
        label="Waterfall rate"
        value={formatPercent(o.waterfallRate)}
        detail={`${formatInt(o.waterfalledRequests)} needed another entry`}
      />
      <StatTile
        label="Tokens in / out"
        value={`${formatCompact(o.promptTokens)} / ${formatCompact(o.completionTokens)}`}
      />
      <StatTile
        label="Latency p50 / p95"
        value={`${formatMs(o.latencyP50Ms)} / ${formatMs(o.latencyP95Ms)}`}
        detail="upper bounds of histogram buckets"
      />
      <StatTile label="429s from upstreams" value={formatInt(o.rateLimitedAttempts)} />
      <StatTile
        label="Money saved"
        value={formatUsd(o.savedMicros)}
        detail={`served tokens at the chains' reference prices, minus ${formatUsd(o.costMicros)} spent`}
      />
    </dl>
  );
}
