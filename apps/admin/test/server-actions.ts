import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DIST_DIR } from "./build-admin";

export interface BuiltAction {
  id: string;
  name: string;
  /** A page that imports the action; its path is where the browser posts it. */
  path: string;
}

interface ManifestEntry {
  exportedName?: string;
  workers: Record<string, unknown>;
}

/** Log-in and log-out are open to anyone by design; everything else writes. */
const NOT_WRITES = new Set(["logInAction", "logOutAction", "logOutEverywhereAction"]);

/** "app/(console)/chains/[name]/page" → "/chains/seed": route groups out, params filled. */
function pagePath(worker: string, param: string): string {
  const segments = worker
    .replace(/^app/, "")
    .replace(/\/page$/, "")
    .split("/")
    .filter((s) => s !== "" && !(s.startsWith("(") && s.endsWith(")")))
    .map((s) => (s.startsWith("[") ? param : s));
  return `/${segments.join("/")}`;
}

/**
 * Every server action of the production build that writes, read from Next's server
 * reference manifest: what a viewer could replay by hand with the action's id.
 */
export function builtWriteActions(param: string): BuiltAction[] {
  const file = join(DIST_DIR, "server/server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as {
    node: Record<string, ManifestEntry>;
  };
  return Object.entries(manifest.node)
    .filter(([, entry]) => !NOT_WRITES.has(entry.exportedName ?? ""))
    .map(([id, entry]) => {
      const workers = Object.keys(entry.workers).filter((w) => w.endsWith("/page"));
      const worker = workers.find((w) => !w.includes("[")) ?? workers[0];
      if (!worker) throw new Error(`server action ${entry.exportedName} is on no page`);
      return { id, name: entry.exportedName ?? id, path: pagePath(worker, param) };
    });
}
