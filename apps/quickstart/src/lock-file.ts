import { readFileSync, rmSync, writeFileSync } from "node:fs";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One launcher per data directory: two PGlite instances on one directory would corrupt it.
 * A lock left by a launcher that died is taken over. Returns the release function.
 */
export function acquireLock(path: string): () => void {
  try {
    writeFileSync(path, `${process.pid}\n`, { flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const owner = Number.parseInt(readFileSync(path, "utf8"), 10);
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `the data directory is in use by another quickstart (pid ${owner}); stop it first, or set DATA_DIR to another directory`,
      );
    }
    writeFileSync(path, `${process.pid}\n`);
  }
  return () => rmSync(path, { force: true });
}
