import { fileURLToPath } from "node:url";
import { type AppProcess, startAppProcess } from "@429chain/testing";

const WORKER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

/**
 * Spawns the real worker on a free WORKER_PORT and waits for its /health, e.g. to kill it
 * with SIGKILL in the middle of a batch.
 */
export function startWorkerProcess(env: Record<string, string>): Promise<AppProcess> {
  return startAppProcess({ entry: WORKER_MAIN, env, portEnv: "WORKER_PORT", readyPath: "/health" });
}
