import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

// This file lives at apps/gateway/bench, three levels below the repo root.
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const RESULTS_DIR = fileURLToPath(new URL("bench/results/", pathToFileURL(REPO_ROOT)));
export const UPSTREAM_SCRIPT = fileURLToPath(new URL("./upstream-process.ts", import.meta.url));
export const BARE_PROXY_SCRIPT = fileURLToPath(new URL("./bare-proxy-process.ts", import.meta.url));
export const WORKER_SCRIPT = fileURLToPath(
  new URL("apps/worker/src/main.ts", pathToFileURL(REPO_ROOT)),
);

/** The gateway's production build; run.ts makes it first when missing or stale. */
export const GATEWAY_BUILD = fileURLToPath(
  new URL("apps/gateway/dist/main.mjs", pathToFileURL(REPO_ROOT)),
);

const gatewayRequire = createRequire(new URL("../package.json", import.meta.url));

/** The tsx ESM loader, so children run TypeScript as a single node process (no tsx wrapper). */
export function tsxLoaderUrl(): string {
  return pathToFileURL(gatewayRequire.resolve("tsx")).href;
}

export function autocannonBin(): string {
  return gatewayRequire.resolve("autocannon/autocannon.js");
}
