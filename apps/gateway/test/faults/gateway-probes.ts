import { readFileSync, writeFileSync } from "node:fs";

/** The `status` field of GET /ready ("ready", "degraded", …); "down" when it does not answer. */
export async function readyStatus(url: string): Promise<string> {
  try {
    const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2_000) });
    return ((await res.json()) as { status: string }).status;
  } catch {
    return "down";
  }
}

/** Sum of every sample of a counter or gauge in GET /metrics (0 when absent). */
export async function metricValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) {
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return sum;
}

/** Resident and peak resident memory of a process, in bytes (Linux /proc). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
  return { rss: kb("VmRSS") * 1024, peak: kb("VmHWM") * 1024 };
}

/** Resets the process's peak RSS (VmHWM) to its current RSS, so the next peak is this test's. */
export function resetPeakMemory(pid: number): void {
  // "5" clears the peak resident set size (Documentation/filesystems/proc.rst).
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}
