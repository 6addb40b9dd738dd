import { fileURLToPath } from "node:url";
import { type AppProcess, type AppProcessOptions, startAppProcess } from "@429chain/testing";

export type GatewayProcess = AppProcess;

/** The admin's end-to-end tests run the real gateway beside it, from its source. */
export const GATEWAY_MAIN = fileURLToPath(new URL("../../gateway/src/main.ts", import.meta.url));

/** Spawns the gateway on a free port and waits for GET /ready. */
export function startGatewayProcess(
  options: Omit<AppProcessOptions, "entry">,
): Promise<GatewayProcess> {
  return startAppProcess({ entry: GATEWAY_MAIN, ...options });
}
