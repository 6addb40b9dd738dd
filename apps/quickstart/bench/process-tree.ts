import { childPids, readCpuMs, readProcessName, readRssMb } from "@429chain/testing";

export interface ProcessRss {
  pid: number;
  parent: number | null;
  /** The command line, as /proc has it. */
  command: string;
  rssMb: number;
  /** User and system CPU time used so far, in milliseconds. */
  cpuMs: number;
}

/**
 * The process and every descendant (depth first, parents before children) with its resident
 * set size, read from /proc (Linux). Children started in their own process group or session
 * are still descendants, so nothing a launcher spawned is missed.
 */
export function processTree(root: number, parent: number | null = null): ProcessRss[] {
  const rss = readRssMb(root);
  if (rss === null) return [];
  const self: ProcessRss = {
    pid: root,
    parent,
    command: readProcessName(root),
    rssMb: rss,
    cpuMs: readCpuMs(root),
  };
  return [self, ...childPids(root).flatMap((child) => processTree(child, root))];
}

export function totalRssMb(tree: ProcessRss[]): number {
  return tree.reduce((sum, p) => sum + p.rssMb, 0);
}
