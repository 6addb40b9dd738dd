/** UTC periods the key limits count in: their ids (bucket names) and when each ends. */
export interface KeyPeriods {
  minute: { id: string; end: number };
  day: { id: string; end: number };
  month: { id: string; end: number };
}

export function keyPeriods(now: number): KeyPeriods {
  const d = new Date(now);
  const minuteStart = Math.floor(now / 60_000) * 60_000;
  const dayEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  const day = d.toISOString().slice(0, 10);
  return {
    minute: { id: String(minuteStart / 60_000), end: minuteStart + 60_000 },
    day: { id: day, end: dayEnd },
    month: { id: day.slice(0, 7), end: monthEnd },
  };
}
