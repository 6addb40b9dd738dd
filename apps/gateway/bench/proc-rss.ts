import { readdirSync, readFileSync } from "node:fs";

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

/**
 * The process actually serving: a launcher such as the tsx CLI runs node as a child, so
 * follow single children down to the leaf. A direct `node --import tsx` child is its own leaf.
 */
export function serverPid(pid: number): number {
  let current = pid;
  for (let depth = 0; depth < 5; depth++) {
    const kids = childrenOf(current);
    if (kids.length !== 1 || kids[0] === undefined) return current;
    current = kids[0];
  }
  return current;
}

/** Resident set size in MiB from /proc/<pid>/status, or null once the process is gone. */
export function readRssMb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export function readProcessName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "?";
  }
}
