import { readdirSync, readFileSync } from "node:fs";

export interface ProcessRss {
  pid: number;
  parent: number | null;
  /** The command line, as /proc has it. */
  command: string;
  rssMb: number;
  /** User and system CPU time used so far, in milliseconds. */
  cpuMs: number;
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, "utf8")
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return [];
  }
}

/** VmRSS in MiB, or null once the process is gone (or is a zombie, which has none). */
function rssMb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "?";
  }
}

/**
 * The process and every descendant (depth first, parents before children) with its resident
 * set size, read from /proc (Linux). Children started in their own process group or session
 * are still descendants, so nothing a launcher spawned is missed.
 */
export function processTree(root: number, parent: number | null = null): ProcessRss[] {
  const rss = rssMb(root);
  if (rss === null) return [];
  const self: ProcessRss = {
    pid: root,
    parent,
    command: commandOf(root),
    rssMb: rss,
    cpuMs: cpuMsOf(root),
  };
  return [self, ...childrenOf(root).flatMap((child) => processTree(child, root))];
}

export function totalRssMb(tree: ProcessRss[]): number {
  return tree.reduce((sum, p) => sum + p.rssMb, 0);
}
