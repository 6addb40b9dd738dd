import { fileURLToPath } from "node:url";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process";

const WORKER_MAIN = fileURLToPath(new URL("../../../apps/worker/src/main.ts", import.meta.url));

/**
 * Spawns the real worker (apps/worker/src/main.ts) on a free WORKER_PORT and waits for its
 * /health, e.g. to kill it with SIGKILL in the middle of a batch.
 */
export function startWorkerProcess(env: Record<string, string>): Promise<GatewayProcess> {
  return startGatewayProcess({
    env,
    entry: WORKER_MAIN,
    portEnv: "WORKER_PORT",
    readyPath: "/health",
  });
}
