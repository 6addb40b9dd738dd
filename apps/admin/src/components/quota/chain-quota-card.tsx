import type { ChainLedger, EntryLedger } from "@429chain/contracts";
import { formatInt } from "../dashboard/format";
import { formatDuration } from "../ratelimits/format-duration";
import { Card } from "../ui/card";
import { type Forecast, forecastOf, type StackSegment, stackOf } from "./quota-model";

const COLORS = ["#2563eb", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d"];
/** The forecast looks a day ahead: far enough to see the day windows' resets. */
const HORIZON_MS = 24 * 3_600_000;
const MAX_RESETS = 6;

const count = (n: number | null) => (n === null ? "unknown" : formatInt(n));
const inTime = (at: number, now: number) => `in ${formatDuration(at - now)}`;

/** One chain's quota: what is left by entry, when it runs out, and what comes back when. */
export function ChainQuotaCard(props: {
  chain: ChainLedger;
  entries: ReadonlyMap<string, EntryLedger>;
  now: number;
}) {
  const { chain, now } = props;
  const stack = stackOf(chain, props.entries);
  const forecast = forecastOf(chain, now, HORIZON_MS);
  const requests = chain.capacity.requests;
  return (
    <div data-testid="quota-chain" data-chain={chain.name}>
      <Card
        title={
          <span>
            {chain.name}
            {chain.kind ? (
              <span className="ml-2 font-normal text-slate-500">{chain.kind}</span>
            ) : null}
          </span>
        }
        actions={
          <span className="text-xs text-slate-600" data-testid="quota-outlook">
            {chain.availableAt !== null
              ? `out: serves again ${inTime(chain.availableAt, now)}`
              : chain.exhaustedAt !== null
                ? `runs out ${inTime(chain.exhaustedAt, now)} at the current rate`
                : forecast.zeroAt !== null
                  ? `its known requests last ${formatDuration(forecast.zeroAt - now)} at the current rate`
                  : "lasts until its resets at the current rate"}
          </span>
        }
      >
        <div className="space-y-4">
          <dl className="grid grid-cols-2 gap-2 text-xs sm:grid-cols-4">
            <Figure label="Requests left now" value={count(requests.now)} testId="quota-now" />
            <Figure label="This minute" value={count(requests.minute)} />
            <Figure label="Today" value={count(requests.day)} />
            <Figure
              label="Use per minute"
              value={`${chain.burn.requestsPerMinute.toFixed(1)} req · ${formatInt(chain.burn.tokensPerMinute)} tok`}
            />
            {chain.queue && chain.queue.depth > 0 ? (
              <Figure
                label="Waiting for quota"
                value={
                  chain.queue.oldestWaitMs === null
                    ? String(chain.queue.depth)
                    : `${chain.queue.depth} · oldest ${formatDuration(chain.queue.oldestWaitMs)}`
                }
                testId="quota-queue"
              />
            ) : null}
          </dl>
          <StackedBar stack={stack} />
          <ForecastChart forecast={forecast} now={now} />
          <Resets resets={chain.resets.slice(0, MAX_RESETS)} now={now} />
        </div>
      </Card>
    </div>
  );
}

function Figure(props: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <dt className="text-slate-500">{props.label}</dt>
      <dd className="font-medium text-slate-900" data-testid={props.testId}>
        {props.value}
      </dd>
    </div>
  );
}

function StackedBar({ stack }: { stack: StackSegment[] }) {
  return (
    <div>
      <p className="mb-1 text-xs text-slate-500">Remaining requests by entry, in chain order</p>
      <svg
        viewBox="0 0 1000 20"
        preserveAspectRatio="none"
        className="h-5 w-full rounded bg-slate-100"
        role="img"
        aria-label={stack.map((s) => `${s.label}: ${count(s.remaining)}`).join(", ")}
      >
        {offsets(stack).map(({ segment, x }, i) => (
          <rect
            key={segment.label}
            x={x * 1000}
            y={0}
            width={segment.share * 1000}
            height={20}
            fill={COLORS[i % COLORS.length]}
            fillOpacity={segment.remaining === null ? 0.45 : 1}
          >
            <title>{`${segment.label}: ${count(segment.remaining)}`}</title>
          </rect>
        ))}
      </svg>
      <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700">
        {stack.map((s, i) => (
          <li
            key={s.label}
            data-testid="quota-segment"
            data-entry={s.label}
            data-remaining={s.remaining ?? "unknown"}
            data-status={s.status}
          >
            <svg viewBox="0 0 8 8" className="mr-1 inline-block h-2 w-2" aria-hidden="true">
              <rect width={8} height={8} rx={1} fill={COLORS[i % COLORS.length]} />
            </svg>
            <span className="font-mono">{s.label}</span> {count(s.remaining)}
            {s.status !== "available" && s.status !== "tracking" ? (
              <span className="ml-1 text-amber-700">({s.status.replace("_", " ")})</span>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Where each segment starts along the bar, 0..1. */
function offsets(stack: StackSegment[]): { segment: StackSegment; x: number }[] {
  let x = 0;
  return stack.map((segment) => {
    const at = x;
    x += segment.share;
    return { segment, x: at };
  });
}

const W = 1000;
const H = 100;

/** Requests left over the next day: a falling line, where it runs out, the resets (dashed). */
function ForecastChart({ forecast, now }: { forecast: Forecast; now: number }) {
  const { start, end, from, to, zeroAt } = forecast;
  const x = (t: number) => ((t - from) / (to - from)) * W;
  const y = (v: number) => (start && start > 0 ? H - (v / start) * (H - 6) : H);
  const outAt = zeroAt !== null && zeroAt <= to ? zeroAt : null;
  const title =
    start === null
      ? "Not enough is known to forecast: some entry's limit is not known yet."
      : outAt !== null
        ? forecast.exhaustedAt === null
          ? `Its known requests last ${formatDuration(outAt - now)} at the current rate.`
          : `Runs out ${inTime(outAt, now)} at the current rate.`
        : "Does not run out in the next 24 hours at the current rate.";
  return (
    <div>
      <p className="mb-1 text-xs text-slate-500">
        Forecast, next 24 h: requests left at the current rate; dashed lines are resets
      </p>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        className="h-24 w-full rounded bg-slate-50"
        data-testid="quota-forecast"
        data-runs-out={outAt ?? ""}
        role="img"
        aria-label={title}
      >
        {forecast.resets.map((r) => (
          <line
            key={`${r.entry}-${r.window}-${r.at}`}
            x1={x(r.at)}
            x2={x(r.at)}
            y1={0}
            y2={H}
            stroke="#94a3b8"
            strokeDasharray="3 3"
            vectorEffect="non-scaling-stroke"
          />
        ))}
        {start !== null && end !== null ? (
          <polyline
            fill="none"
            stroke="#2563eb"
            strokeWidth={2}
            vectorEffect="non-scaling-stroke"
            points={
              outAt !== null
                ? `0,${y(start)} ${x(outAt)},${y(0)} ${W},${y(0)}`
                : `0,${y(start)} ${W},${y(end)}`
            }
          />
        ) : null}
        {outAt !== null ? (
          // A zero-length line with a round cap: a dot that the stretched view box keeps round.
          <line
            x1={x(outAt)}
            x2={x(outAt)}
            y1={y(0) - 3}
            y2={y(0) - 3}
            stroke="#dc2626"
            strokeWidth={9}
            strokeLinecap="round"
            vectorEffect="non-scaling-stroke"
          />
        ) : null}
      </svg>
      <div className="flex justify-between text-[10px] text-slate-500">
        <span>now{start !== null ? ` · ${count(start)} left` : ""}</span>
        <span>{title}</span>
        <span>+24 h</span>
      </div>
    </div>
  );
}

function Resets({ resets, now }: { resets: ChainLedger["resets"]; now: number }) {
  if (resets.length === 0) {
    return <p className="text-xs text-slate-500">No resets ahead are known.</p>;
  }
  return (
    <div>
      <p className="mb-1 text-xs text-slate-500">Resets ahead</p>
      <ul className="space-y-0.5 text-xs text-slate-700">
        {resets.map((r) => (
          <li key={`${r.entry}-${r.window}-${r.at}`} data-testid="quota-reset">
            <span className="font-mono">{r.entry}</span> {r.window} ({r.period}){" "}
            {r.at > now ? inTime(r.at, now) : "now"}
          </li>
        ))}
      </ul>
    </div>
  );
}
