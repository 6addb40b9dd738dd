import { formatCompact, formatUtc } from "./format";

interface ChartSeries {
  name: string;
  /** A Tailwind text colour class; the marks draw with currentColor. */
  className: string;
  values: (number | null)[];
}

const W = 600;
const H = 160;
const PAD = { top: 8, right: 8, bottom: 20, left: 44 };

/**
 * A small server-rendered SVG chart: stacked bars (`kind="bars"`) or lines. No client script,
 * so the dashboard's first load stays small.
 */
export function TimeChart(props: {
  title: string;
  times: Date[];
  series: ChartSeries[];
  kind: "bars" | "lines";
  format?: (n: number) => string;
}) {
  const { times, series, kind } = props;
  const format = props.format ?? formatCompact;
  const n = times.length;
  const totals = times.map((_, i) =>
    kind === "bars"
      ? series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)
      : Math.max(0, ...series.map((s) => s.values[i] ?? 0)),
  );
  const max = Math.max(1, ...totals);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, n);
  const x = (i: number) => PAD.left + i * step;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const first = times[0];
  const last = times[n - 1];
  return (
    <figure className="space-y-1">
      <figcaption className="flex flex-wrap items-center gap-3 text-xs text-slate-600">
        <span className="font-medium text-slate-800">{props.title}</span>
        {series.map((s) => (
          <span key={s.name} className={`inline-flex items-center gap-1 ${s.className}`}>
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" rx="2" fill="currentColor" />
            </svg>
            <span className="text-slate-600">{s.name}</span>
          </span>
        ))}
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-40 w-full"
        role="img"
        aria-label={`${props.title}, peak ${format(max)}`}
      >
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="stroke-slate-300" />
        <line
          x1={PAD.left}
          x2={W - PAD.right}
          y1={y(max)}
          y2={y(max)}
          className="stroke-slate-100"
        />
        <text
          x={PAD.left - 4}
          y={y(max) + 4}
          textAnchor="end"
          className="fill-slate-500 text-[10px]"
        >
          {format(max)}
        </text>
        <text x={PAD.left - 4} y={y(0)} textAnchor="end" className="fill-slate-500 text-[10px]">
          0
        </text>
        {first ? (
          <text x={PAD.left} y={H - 4} className="fill-slate-500 text-[10px]">
            {formatUtc(first)}
          </text>
        ) : null}
        {last && n > 1 ? (
          <text x={W - PAD.right} y={H - 4} textAnchor="end" className="fill-slate-500 text-[10px]">
            {formatUtc(last)} UTC
          </text>
        ) : null}
        {kind === "bars" ? (
          <Bars {...{ series, n, x, y, step }} />
        ) : (
          <Lines {...{ series, x, y, step }} />
        )}
      </svg>
    </figure>
  );
}

function Bars(props: {
  series: ChartSeries[];
  n: number;
  x: (i: number) => number;
  y: (v: number) => number;
  step: number;
}) {
  const width = Math.max(1, props.step * 0.8);
  const bars = [];
  for (let i = 0; i < props.n; i += 1) {
    let base = 0;
    for (const s of props.series) {
      const v = s.values[i] ?? 0;
      if (v > 0) {
        bars.push(
          <rect
            key={`${s.name}-${i}`}
            x={props.x(i) + (props.step - width) / 2}
            y={props.y(base + v)}
            width={width}
            height={props.y(base) - props.y(base + v)}
            fill="currentColor"
            className={s.className}
          />,
        );
      }
      base += v;
    }
  }
  return <g>{bars}</g>;
}

function Lines(props: {
  series: ChartSeries[];
  x: (i: number) => number;
  y: (v: number) => number;
  step: number;
}) {
  return (
    <g>
      {props.series.map((s) => {
        const points = s.values
          .map((v, i) => (v === null ? null : `${props.x(i) + props.step / 2},${props.y(v)}`))
          .filter((p) => p !== null);
        return (
          <polyline
            key={s.name}
            points={points.join(" ")}
            fill="none"
            stroke="currentColor"
            strokeWidth="1.5"
            className={s.className}
          />
        );
      })}
    </g>
  );
}
