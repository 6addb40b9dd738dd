import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import gatewayManifest from "../../apps/gateway/package.json" with { type: "json" };
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
      // The images it runs are the gateway's version.
      appVersion: gatewayManifest.version,
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
    ["secrets.redisUrl", "rediss://redis:6380"],
    ["secrets.redisUrl", "redis+cluster://10.0.0.1:7001,10.0.0.2:7002"],
    ["secrets.redisUrl", "rediss+sentinel://s1:26379,s2:26379/mymaster"],
  ])("accepts %s = %j", (path, value) => {
    expect(validate(withValue(path, value)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ["gateway.replicas", -1],
    ["gateway.replica", 2],
    ["image.pullPolicy", "Sometimes"],
    ["config.logLevel", "verbose"],
    ["gateway.port", 70000],
    ["gateway.metrics.port", 0],
    ["gateway.metrics.requireToken", "yes"],
    ["gateway.metrics.serviceMonitor.interval", "often"],
    ["gateway.metrics.extra", true],
    ["secrets.metricsToken", "too-short"],
    ["gateway.autoscaling.targetCPUUtilizationPercentage", 0],
    ["gateway.podAntiAffinity", "maybe"],
    ["gateway.shutdownTimeoutMs", "30s"],
    ["worker.batchSize", 20000],
    ["admin.cookieSecure", "yes"],
    ["secrets.databaseUrl", "mysql://db/chain"],
    ["secrets.redisUrl", "memcached://cache:11211"],
    ["secrets.redisUrl", "redis+proxy://a:1"],
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

  it("has the gateway Deployment, Services, ServiceMonitor, HPA, PDB, worker, admin, Ingress, Job, Secret, ConfigMaps", () => {
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
        "Service",
        "ServiceMonitor",
      ].sort(),
    );
    expect(at("gateway-hpa.yaml", "apiVersion")).toBe("autoscaling/v2");
  });

  it("probes the gateway on /ready and /health and drains it before SIGKILL", () => {
    expect(at(GATEWAY, `${CONTAINER}.readinessProbe.httpGet.path`)).toBe("/ready");
    expect(at(GATEWAY, `${CONTAINER}.livenessProbe.httpGet.path`)).toBe("/health");
    for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
      expect(at(GATEWAY, `${CONTAINER}.${probe}.httpGet.port`), probe).toBe("metrics");
    }
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
      // Not hook-succeeded: the log of a successful run holds the first client key.
      "helm.sh/hook-delete-policy": "before-hook-creation",
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
      "--first-key",
    ]);
    expect(templates.get(JOB)).toMatch(
      /if \.Values\.migrate\.seedConfig\.existingSecret \}\}\s+- --seed-config/,
    );
  });

  it("starts each app with its image's command (node running the app's build)", () => {
    for (const name of ["gateway-deployment.yaml", "worker-deployment.yaml", "migrate-job.yaml"]) {
      expect(at(name, `${CONTAINER}.command`), name).toBeUndefined();
    }
    expect(at("gateway-deployment.yaml", `${CONTAINER}.args`)).toBeUndefined();
    expect(at("worker-deployment.yaml", `${CONTAINER}.args`)).toBeUndefined();
  });

  it("serves /metrics and /ready on a named metrics port that the gateway Service leaves out", () => {
    const ports = at(GATEWAY, `${CONTAINER}.ports`) as Array<{ name: string }>;
    expect(ports.map((p) => p.name)).toEqual(["http", "metrics"]);
    const source = templates.get(GATEWAY) ?? "";
    expect(source).toMatch(
      /- name: metrics\n\s+containerPort: \{\{ \.Values\.gateway\.metrics\.port \| int \}\}/,
    );
    expect(templates.get("configmap.yaml")).toContain(
      "METRICS_PORT: {{ .Values.gateway.metrics.port | int | quote }}",
    );
    const service = template("gateway-service.yaml")[0];
    expect(valueAt(service, "spec.ports")).toEqual([
      { name: "http", port: expect.any(String), targetPort: "http" },
    ]);
    expect(templates.get("gateway-service.yaml")).not.toContain("metrics.port");
    // The chart refuses to put both listeners on one port.
    expect(templates.get("_helpers.tpl")).toContain(
      "if eq (int .Values.gateway.metrics.port) (int .Values.gateway.port)",
    );
  });

  it("offers a headless metrics Service and a ServiceMonitor, both off by default", () => {
    const metrics = values.gateway as {
      metrics: { requireToken: boolean; service: { enabled: boolean }; serviceMonitor: object };
    };
    expect(metrics.metrics).toMatchObject({
      requireToken: false,
      service: { enabled: false },
      serviceMonitor: { enabled: false },
    });
    expect(templates.get("gateway-metrics-service.yaml")).toMatch(
      /^\{\{- if \.Values\.gateway\.metrics\.service\.enabled \}\}/,
    );
    const service = template("gateway-metrics-service.yaml")[0];
    expect(valueAt(service, "spec.clusterIP")).toBe("None");
    expect(valueAt(service, "spec.ports")).toEqual([
      { name: "metrics", port: expect.any(String), targetPort: "metrics" },
    ]);
    // Its own component label, so the ServiceMonitor never selects the API Service…
    expect(valueAt(service, "metadata.labels")).toEqual({
      "app.kubernetes.io/component": "gateway-metrics",
    });
    // …while it still selects the gateway pods.
    expect(templates.get("gateway-metrics-service.yaml")).toContain(
      '(dict "root" . "component" "gateway")',
    );

    const MONITOR = "gateway-servicemonitor.yaml";
    expect(templates.get(MONITOR)).toMatch(
      /^\{\{- if \.Values\.gateway\.metrics\.serviceMonitor\.enabled \}\}/,
    );
    expect(at(MONITOR, "apiVersion")).toBe("monitoring.coreos.com/v1");
    expect(at(MONITOR, "spec.selector.matchLabels")).toMatchObject({
      "app.kubernetes.io/component": "gateway-metrics",
    });
    expect(at(MONITOR, "spec.endpoints.0")).toMatchObject({
      port: "metrics",
      path: "/metrics",
      authorization: { type: "Bearer", credentials: expect.any(Object) },
    });
    expect(templates.get(MONITOR)).toMatch(
      /if \.Values\.gateway\.metrics\.requireToken \}\}\s+authorization:/,
    );
    expect(templates.get("_helpers.tpl")).toContain(
      "if and .Values.gateway.metrics.serviceMonitor.enabled (not .Values.gateway.metrics.service.enabled)",
    );
  });

  it("gives the gateway METRICS_TOKEN from the Secret only when a token is required", () => {
    const source = templates.get(GATEWAY) ?? "";
    expect(source).toMatch(
      /if \.Values\.gateway\.metrics\.requireToken \}\}\s+- name: METRICS_TOKEN\s+valueFrom:\s+secretKeyRef:\s+name: \{\{ include "429chain\.secretName" \. \}\}\s+key: \{\{ \.Values\.secrets\.keys\.metricsToken \}\}/,
    );
    expect(templates.get("secret.yaml")).toMatch(
      /if \.Values\.secrets\.metricsToken \}\}\s+\{\{ \.Values\.secrets\.keys\.metricsToken \}\}:/,
    );
    expect(templates.get("_helpers.tpl")).toContain(
      "if and .Values.gateway.metrics.requireToken (not .Values.secrets.existingSecret) (lt (len .Values.secrets.metricsToken) 16)",
    );
  });

  it("tells the operator where the first client key is printed", () => {
    const notes = templates.get("NOTES.txt") ?? "";
    expect(notes).toContain(
      'kubectl logs --namespace {{ .Release.Namespace }} job/{{ include "429chain.fullname" . }}-migrate',
    );
    expect(templates.get("migrate-job.yaml")).toContain(
      'name: {{ include "429chain.fullname" . }}-migrate',
    );
    // The API port no longer serves /ready: NOTES must not send the operator there.
    expect(notes).not.toMatch(/\.Values\.gateway\.port \| int \}\}\/ready/);
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
