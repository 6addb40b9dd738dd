import { type DashboardRange, RANGE_PRESETS } from "../../server/dashboard/dashboard-range";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { toInputValue } from "./format";

const LABELS = { "1h": "Last hour", "24h": "24 hours", "7d": "7 days", "30d": "30 days" } as const;

/** Links for the presets and a plain GET form for a custom range: no client script needed. */
export function RangePicker({ range }: { range: DashboardRange }) {
  return (
    <div className="flex flex-wrap items-end gap-4">
      <nav
        aria-label="Time range"
        className="flex rounded-md border border-slate-300 bg-white shadow-sm"
      >
        {RANGE_PRESETS.map((p) => (
          <a
            key={p}
            href={`?range=${p}`}
            aria-current={range.preset === p ? "page" : undefined}
            className="px-3 py-1.5 text-sm text-slate-700 first:rounded-l-md last:rounded-r-md hover:bg-slate-50 aria-[current=page]:bg-indigo-600 aria-[current=page]:text-white"
          >
            {LABELS[p]}
          </a>
        ))}
      </nav>
      <form method="get" className="flex flex-wrap items-end gap-2" aria-label="Custom range">
        <input type="hidden" name="range" value="custom" />
        <label htmlFor="range-from" className="text-xs text-slate-600">
          From (UTC)
          <Input
            id="range-from"
            type="datetime-local"
            name="from"
            required
            defaultValue={toInputValue(range.from)}
          />
        </label>
        <label htmlFor="range-to" className="text-xs text-slate-600">
          To (UTC)
          <Input
            id="range-to"
            type="datetime-local"
            name="to"
            defaultValue={toInputValue(range.to)}
          />
        </label>
        <Button type="submit" variant="secondary">
          Show
        </Button>
      </form>
    </div>
  );
}
