import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { REPO_ROOT } from "./compose-file";

export const CHART_DIR = join(REPO_ROOT, "infra/helm/429chain");
const TEMPLATES_DIR = join(CHART_DIR, "templates");

export function readChartYaml(file: string): unknown {
  return parse(readFileSync(join(CHART_DIR, file), "utf8"));
}

export function readValuesSchema(): object {
  return JSON.parse(readFileSync(join(CHART_DIR, "values.schema.json"), "utf8")) as object;
}

/** Every file under templates/, by name. */
export function templateSources(): Map<string, string> {
  return new Map(
    readdirSync(TEMPLATES_DIR).map((name) => [
      name,
      readFileSync(join(TEMPLATES_DIR, name), "utf8"),
    ]),
  );
}

/** Every `.Values.a.b` path the templates use, as "a.b". */
export function referencedValuePaths(sources: Iterable<string>): Set<string> {
  const paths = new Set<string>();
  for (const source of sources) {
    for (const match of source.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
      paths.add((match[1] ?? "").slice(1));
    }
  }
  return paths;
}

/** Whether `path` ("a.b.c") names a key present in `values`, whatever its value. */
export function hasPath(values: unknown, path: string): boolean {
  const parent = path.split(".").slice(0, -1).join(".");
  const container = parent ? valueAt(values, parent) : values;
  const key = path.split(".").at(-1) ?? "";
  return !!container && typeof container === "object" && key in container;
}

/** The value at `path` ("spec.containers.0.name"; list items by index), or undefined. */
export function valueAt(node: unknown, path: string): unknown {
  let current = node;
  for (const key of path.split(".")) {
    if (!current || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Paths of the leaves of `values` ("a.b.c"); an empty map or list counts as a leaf. */
export function leafPaths(values: unknown, prefix = ""): string[] {
  if (!values || typeof values !== "object" || Array.isArray(values)) return [prefix];
  const entries = Object.entries(values);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([key, value]) => leafPaths(value, prefix ? `${prefix}.${key}` : key));
}

/**
 * A template as plain YAML, as far as that goes without helm: comments and lines holding only
 * actions (if/else/end/with/include … nindent) dropped, and each inline action replaced by a
 * distinct placeholder scalar.
 */
export function stripTemplateActions(source: string): string {
  let placeholder = 0;
  return source
    .replace(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}\n?/g, "")
    .split("\n")
    .filter((line) => !/^\s*(\{\{[^}]*\}\}\s*)+$/.test(line))
    .map((line) => line.replace(/\{\{[^}]*\}\}/g, () => `tpl${placeholder++}`))
    .join("\n");
}

/** The documents of a stripped template; throws on the first YAML error. */
export function parseStrippedTemplate(
  name: string,
  source: string,
): Array<Record<string, unknown>> {
  return parseAllDocuments(stripTemplateActions(source)).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${name}: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as Record<string, unknown> | null;
    return value ? [value] : [];
  });
}
