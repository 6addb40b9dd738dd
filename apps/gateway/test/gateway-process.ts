import { fileURLToPath } from "node:url";
import { type AppProcess, type AppProcessOptions, startAppProcess } from "@429chain/testing";

export type GatewayProcess = AppProcess;

export const GATEWAY_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

/** Spawns the real gateway from its source on a free port and waits for GET /ready. */
export function startGatewayProcess(
  options: Omit<AppProcessOptions, "entry">,
): Promise<GatewayProcess> {
  return startAppProcess({ entry: GATEWAY_MAIN, ...options });
}
