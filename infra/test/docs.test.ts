import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_KEY_TREE } from "@429chain/config";
import { describe, expect, it } from "vitest";
import { declaredEnvNames, REPO_ROOT } from "./compose-file";
import { documentedFields, keyPaths, secondCells, sections, tableNames } from "./docs-markdown";

const read = (path: string) => readFileSync(join(REPO_ROOT, path), "utf8");

describe("docs/environment.md", () => {
  const page = sections(read("docs/environment.md"));
  const moduleOf = (heading: string) => heading.match(/`([^`]+\.ts)`/)?.[1];
  const modules = page.filter((s) => moduleOf(s.heading)?.endsWith("env.ts"));

  it("has a section for every app's env.ts and for the bench's schema", () => {
    const apps = readdirSync(join(REPO_ROOT, "apps"));
    const envModules = apps
      .flatMap((app) => [`apps/${app}/src/env.ts`, `apps/${app}/src/lib/env.ts`])
      .filter((path) => existsSync(join(REPO_ROOT, path)));
    expect(envModules.length).toBeGreaterThanOrEqual(5);
    const documented = modules.map((s) => moduleOf(s.heading));
    for (const path of [...envModules, "apps/gateway/bench/bench-env.ts"]) {
      expect(documented, path).toContain(path);
    }
  });

  it.each(modules.map((s) => [moduleOf(s.heading), s.body]))(
    "lists exactly the variables of %s",
    (module, body) => {
      const declared = declaredEnvNames(module as string);
      expect(declared.length, module).toBeGreaterThan(0);
      expect(tableNames(body as string).sort(), module).toEqual([...new Set(declared)].sort());
    },
  );

  it("names, for every variable read outside a schema, a file that reads it", () => {
    const outside = page.find((s) => s.heading.includes("outside the schemas"));
    const rows = secondCells(outside?.body ?? "");
    expect(rows.size).toBeGreaterThan(0);
    for (const [name, file] of rows) {
      expect(existsSync(join(REPO_ROOT, file)), `${name}: ${file}`).toBe(true);
      expect(read(file), `${name} in ${file}`).toContain(name);
    }
  });

  it("documents each variable only where its section says it is read", () => {
    const sectionsWithTables = page.filter((s) => tableNames(s.body).length > 0);
    for (const section of sectionsWithTables) {
      const isKnown =
        moduleOf(section.heading)?.endsWith("env.ts") ||
        section.heading.includes("outside the schemas");
      expect(isKnown, section.heading).toBe(true);
    }
  });
});

describe("docs/configuration.md", () => {
  const schema = keyPaths(CONFIG_KEY_TREE);
  const documented = documentedFields(read("docs/configuration.md"));

  it("documents every field the config schema accepts", () => {
    expect(schema.length).toBeGreaterThan(50);
    expect(schema.filter((path) => !documented.includes(path))).toEqual([]);
  });

  it("documents no field the config schema does not accept", () => {
    expect(documented.filter((path) => !schema.includes(path))).toEqual([]);
    expect(documented.length).toBe(new Set(documented).size);
  });
});

describe("docs/operations.md", () => {
  it("lists every metric the gateway and the worker register", () => {
    const page = read("docs/operations.md");
    for (const module of ["apps/gateway/src/metrics.ts", "apps/worker/src/metrics.ts"]) {
      const names = [...read(module).matchAll(/name: "([a-z_]+)"/g)].map((m) => m[1] as string);
      expect(names.length, module).toBeGreaterThan(5);
      expect(names.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
    }
  });
});
