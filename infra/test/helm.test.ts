import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { declaredEnvNames } from "./compose-file";
import {
  hasPath,
  leafPaths,
  parseStrippedTemplate,
  readChartYaml,
  readValuesSchema,
  referencedValuePaths,
  stripTemplateActions,
  templateSources,
  valueAt,
} from "./helm-chart";

const values = readChartYaml("values.yaml") as Record<string, unknown>;
const lintValues = readChartYaml("ci/lint-values.yaml") as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(readValuesSchema());
const templates = templateSources();
const manifests = [...templates].filter(([name]) => name.endsWith(".yaml"));

/** values.yaml with one value replaced (or added) at `path`. */
function withValue(path: string, value: unknown): unknown {
  const copy = structuredClone(values);
  const keys = path.split(".");
  const last = keys.pop() as string;
  let node = copy as Record<string, unknown>;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  node[last] = value;
  return copy;
}

function mergeDeep(base: unknown, over: unknown): unknown {
  if (!over || typeof over !== "object" || Array.isArray(over)) return over;
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(over)) merged[key] = mergeDeep(merged[key], value);
  return merged;
}

function template(name: string): Array<Record<string, unknown>> {
  return parseStrippedTemplate(name, templates.get(name) ?? "");
}

describe("Chart.yaml", () => {
  it("declares a v2 application chart with a version and appVersion", () => {
    expect(readChartYaml("Chart.yaml")).toMatchObject({
      apiVersion: "v2",
      name: "429chain",
      type: "application",
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      appVersion: expect.any(String),
      description: expect.any(String),
    });
  });
});

describe("values.schema.json", () => {
  it("accepts values.yaml and the lint values", () => {
    expect(validate(values), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(mergeDeep(values, lintValues)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ["gateway.replicas", -1],
    ["gateway.replica", 2],
    ["image.pullPolicy", "Sometimes"],
    ["config.logLevel", "verbose"],
    ["gateway.port", 70000],
    ["gateway.autoscaling.targetCPUUtilizationPercentage", 0],
    ["gateway.podAntiAffinity", "maybe"],
    ["gateway.shutdownTimeoutMs", "30s"],
    ["worker.batchSize", 20000],
    ["admin.cookieSecure", "yes"],
    ["secrets.databaseUrl", "mysql://db/chain"],
    ["gateway.resources.requests.memory", "lots"],
    ["extra", true],
  ])("rejects %s = %j", (path, value) => {
    expect(validate(withValue(path, value))).toBe(false);
  });
});

describe("templates", () => {
  it("use only values that values.yaml defines", () => {
    const missing = [...referencedValuePaths(templates.values())].filter(
      (path) => !hasPath(values, path),
    );
    expect(missing).toEqual([]);
  });

  it("use every value values.yaml defines", () => {
    const used = [...referencedValuePaths(templates.values())];
    const unused = leafPaths(values).filter(
      (leaf) => !used.some((path) => leaf === path || leaf.startsWith(`${path}.`)),
    );
    expect(unused).toEqual([]);
  });

  it.each(manifests.map(([name]) => name))(
    "%s is YAML once template actions are stripped",
    (name) => {
      const docs = template(name);
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) expect(doc).toMatchObject({ apiVersion: expect.any(String) });
    },
  );

  it("indent each included block to the column its action is written at", () => {
    for (const [name, source] of manifests) {
      for (const line of source.split("\n")) {
        const match = /^( *)\{\{-[^}]*\| nindent (\d+) \}\}$/.exec(line);
        if (match)
          expect(`${name}: ${line}`).toBe(`${name}: ${" ".repeat(Number(match[2]))}${line.trim()}`);
      }
    }
  });

  it("stripping leaves no template action behind", () => {
    for (const [, source] of manifests)
      expect(stripTemplateActions(source)).not.toMatch(/\{\{|\}\}/);
  });
});

describe("resources", () => {
  /** The value at `path` in the first document of a template. */
  const at = (name: string, path: string) => valueAt(template(name)[0], path);
  const GATEWAY = "gateway-deployment.yaml";
  const CONTAINER = "spec.template.spec.containers.0";

  it("has the gateway Deployment, Service, HPA, PDB, worker, admin, Ingress, Job, Secret, ConfigMaps", () => {
    const kinds = manifests.flatMap(([name]) => template(name).map((doc) => `${doc.kind}`));
    expect(kinds.sort()).toEqual(
      [
        "ConfigMap",
        "ConfigMap",
        "ConfigMap",
        "Deployment",
        "Deployment",
        "Deployment",
        "HorizontalPodAutoscaler",
        "Ingress",
        "Job",
        "PodDisruptionBudget",
        "Secret",
        "Service",
        "Service",
      ].sort(),
    );
    expect(at("gateway-hpa.yaml", "apiVersion")).toBe("autoscaling/v2");
  });

  it("probes the gateway on /ready and /health and drains it before SIGKILL", () => {
    expect(at(GATEWAY, `${CONTAINER}.readinessProbe.httpGet.path`)).toBe("/ready");
    expect(at(GATEWAY, `${CONTAINER}.livenessProbe.httpGet.path`)).toBe("/health");
    expect(at(GATEWAY, `${CONTAINER}.lifecycle.preStop.exec.command.0`)).toBe("sleep");
    expect(templates.get(GATEWAY)).toContain(
      "terminationGracePeriodSeconds: {{ add (int .Values.gateway.preStopSleepSeconds) (div (int .Values.gateway.shutdownTimeoutMs) 1000) 5 }}",
    );
    expect(at(GATEWAY, "spec.template.spec.affinity.podAntiAffinity")).toBeDefined();
  });

  it("runs migrations as a pre-install, pre-upgrade hook after the chart's Secret exists", () => {
    const JOB = "migrate-job.yaml";
    expect(at(JOB, "metadata.annotations")).toMatchObject({
      "helm.sh/hook": "pre-install,pre-upgrade",
      "helm.sh/hook-delete-policy": expect.stringContaining("before-hook-creation"),
    });
    expect(at("secret.yaml", "metadata.annotations")).toMatchObject({
      "helm.sh/hook": "pre-install,pre-upgrade",
    });
    const weight = (name: string) =>
      Number((at(name, "metadata.annotations") as Record<string, string>)["helm.sh/hook-weight"]);
    expect(weight("secret.yaml")).toBeLessThan(weight(JOB));
    // Stripping template actions keeps the lines of both branches: the seed arguments are
    // the ones under `if .Values.migrate.seedConfig.existingSecret`.
    expect(at(JOB, `${CONTAINER}.args`)).toEqual([
      "migrate",
      "--seed-config",
      expect.stringMatching(/^\/seed\//),
    ]);
    expect(templates.get(JOB)).toMatch(
      /if \.Values\.migrate\.seedConfig\.existingSecret \}\}\s+- --seed-config/,
    );
  });

  it("runs every pod non-root on a read-only root filesystem with a writable /tmp", () => {
    expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true });
    expect(values.containerSecurityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    for (const name of [
      GATEWAY,
      "worker-deployment.yaml",
      "admin-deployment.yaml",
      "migrate-job.yaml",
    ]) {
      const source = templates.get(name) ?? "";
      expect(source, name).toContain("toYaml .Values.podSecurityContext");
      expect(source, name).toContain("toYaml .Values.containerSecurityContext");
      expect(source, name).toContain('include "429chain.tmpMount"');
      expect(source, name).toContain('include "429chain.tmpVolume"');
    }
  });

  it("gives each component only variables its env.ts declares", () => {
    const configMaps = template("configmap.yaml");
    const declared = {
      gateway: declaredEnvNames("apps/gateway/src/env.ts"),
      worker: declaredEnvNames("apps/worker/src/env.ts"),
      admin: [...declaredEnvNames("apps/admin/src/lib/env.ts"), "HOSTNAME"],
    };
    for (const [component, names] of Object.entries(declared)) {
      const configMap = configMaps.find((doc) =>
        String(valueAt(doc, "metadata.name")).endsWith(`-${component}`),
      );
      const env = (at(`${component}-deployment.yaml`, `${CONTAINER}.env`) ?? []) as Array<{
        name: string;
      }>;
      const passed = [
        ...Object.keys(valueAt(configMap, "data") as object),
        ...env.map((e) => e.name),
      ];
      expect(
        passed.filter((name) => !names.includes(name)),
        component,
      ).toEqual([]);
    }
  });
});
