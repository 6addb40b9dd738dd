import type { StatsPoint } from "@429chain/db";
import { Card } from "../ui/card";
import { formatMs } from "./format";
import { TimeChart } from "./time-chart";

export function DashboardCharts({ series }: { series: StatsPoint[] }) {
  const times = series.map((p) => p.bucketStart);
  return (
    <Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <TimeChart
          title="Requests"
          kind="bars"
          times={times}
          series={[
            {
              name: "served",
              className: "text-emerald-500",
              values: series.map((p) => p.successes),
            },
            { name: "failed", className: "text-red-500", values: series.map((p) => p.failures) },
          ]}
        />
        <TimeChart
          title="Tokens"
          kind="bars"
          times={times}
          series={[
            { name: "in", className: "text-indigo-500", values: series.map((p) => p.promptTokens) },
            {
              name: "out",
              className: "text-sky-400",
              values: series.map((p) => p.completionTokens),
            },
          ]}
        />
        <TimeChart
          title="429s from upstreams"
          kind="bars"
          times={times}
          series={[
            {
              name: "rate-limited attempts",
              className: "text-amber-500",
              values: series.map((p) => p.rateLimitedAttempts),
            },
          ]}
        />
        <TimeChart
          title="Average latency"
          kind="lines"
          times={times}
          format={(n) => formatMs(n)}
          series={[
            {
              name: "avg latency",
              className: "text-slate-700",
              values: series.map((p) => p.latencyAvgMs),
            },
          ]}
        />
      </div>
    </Card>
  );
}
