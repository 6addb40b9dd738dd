import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const REPO_ROOT = join(import.meta.dirname, "..", "..");

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

/** KEY=VALUE lines of an env file, the way `docker compose` reads .env (comments skipped). */
export function readEnvFile(path: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1]) vars[match[1]] = match[2] ?? "";
  }
  return vars;
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$\$/g;

/** Every `${VAR…}` reference in the text, with whether it carries a default. */
export function variableReferences(text: string): Array<{ name: string; hasDefault: boolean }> {
  return [...text.matchAll(REFERENCE)]
    .filter((m) => m[1] !== undefined)
    .map((m) => ({ name: m[1] as string, hasDefault: m[2] === "-" || m[2] === ":-" }));
}

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, $$. */
export function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(REFERENCE, (whole, name?: string, op?: string, arg?: string) => {
    if (name === undefined) return "$";
    const set = vars[name];
    if (op === ":-") return set ? set : (arg ?? "");
    if (op === "-") return set ?? arg ?? "";
    if (op === ":?" && !set) throw new Error(`${whole}: ${name} is required`);
    return set ?? "";
  });
}

function interpolateTree(node: unknown, vars: Record<string, string>): unknown {
  if (typeof node === "string") return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, vars));
  if (node && typeof node === "object") {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, interpolateTree(value, vars)]),
    );
  }
  return node;
}

export function composeText(): string {
  return readFileSync(join(REPO_ROOT, "docker-compose.yml"), "utf8");
}

/** docker-compose.yml as compose sees it: merge keys applied, then variables interpolated. */
export function loadCompose(vars: Record<string, string>): ComposeFile {
  return interpolateTree(parse(composeText(), { merge: true }), vars) as ComposeFile;
}

/** The environment one service's container gets, as strings. */
export function serviceEnv(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([key, value]) => [key, String(value)]),
  );
}

/** Names of the variables an app's env.ts schema declares (its `NAME: …` object keys). */
export function declaredEnvNames(envModule: string): string[] {
  const source = readFileSync(join(REPO_ROOT, envModule), "utf8");
  return [...source.matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] as string);
}
