import { readFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";

/** Soft and hard "Max open files" of this process (children inherit them). */
export function openFilesLimit(): string {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const [soft, hard] = line?.replace("Max open files", "").trim().split(/\s+/) ?? [];
    return `${soft ?? "?"} (hard ${hard ?? "?"})`;
  } catch {
    return "unknown";
  }
}

export function describeMachine() {
  return {
    node: process.version,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    openFilesLimit: openFilesLimit(),
  };
}
