import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isPublicExampleKey, PUBLIC_EXAMPLE_CLIENT_KEYS } from "@429chain/contracts";
import { parseMasterKey } from "@429chain/db";
import { describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
// Apps export no env module; their env.ts files are read here only to check the compose file.
import { readEnv as readCliEnv } from "../../apps/cli/src/env";
import { readEnv as readGatewayEnv } from "../../apps/gateway/src/env";
import { readEnv as readWorkerEnv } from "../../apps/worker/src/env";
import {
  composeText,
  declaredEnvNames,
  loadCompose,
  REPO_ROOT,
  readEnvFile,
  serviceEnv,
  variableReferences,
} from "./compose-file";

const ENV_EXAMPLE = join(REPO_ROOT, ".env.example");
// What an operator's .env holds after following .env.example (MASTER_KEY generated).
const dotEnv: Record<string, string> = {
  ...readEnvFile(ENV_EXAMPLE),
  MASTER_KEY: randomBytes(32).toString("base64"),
};
const compose = loadCompose(dotEnv);
const services = compose.services;
const service = (name: string) => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

const GATEWAYS = ["gateway-1", "gateway-2"];
const APPS = [...GATEWAYS, "worker", "admin"];
const ENV_MODULES = {
  gateway: "apps/gateway/src/env.ts",
  worker: "apps/worker/src/env.ts",
  cli: "apps/cli/src/env.ts",
  admin: "apps/admin/src/lib/env.ts",
};

describe("docker-compose.yml services", () => {
  it("runs postgres, redis, migrate, two gateways behind nginx, the worker and the admin", () => {
    expect(Object.keys(services).sort()).toEqual(
      ["admin", "gateway-1", "gateway-2", "migrate", "nginx", "postgres", "redis", "worker"].sort(),
    );
  });

  it("builds every app from its Dockerfile under infra/docker", () => {
    const dockerfiles = {
      migrate: "migrate",
      "gateway-1": "gateway",
      "gateway-2": "gateway",
      worker: "worker",
      admin: "admin",
    };
    for (const [name, app] of Object.entries(dockerfiles)) {
      const build = service(name).build;
      expect(build, name).toEqual({ context: ".", dockerfile: `infra/docker/${app}.Dockerfile` });
      expect(existsSync(join(REPO_ROOT, build?.dockerfile ?? "")), name).toBe(true);
      expect(service(name).image, name).toMatch(new RegExp(`/${app}:`));
    }
    for (const name of ["postgres", "redis", "nginx"]) expect(service(name).image).toBeTruthy();
  });

  it("health-checks every service that serves, and not the one-shot migrate", () => {
    for (const name of ["postgres", "redis", "nginx", ...APPS]) {
      expect(service(name).healthcheck?.test.length, name).toBeGreaterThan(1);
    }
    expect(service("migrate").healthcheck).toBeUndefined();
  });

  it("migrates, seeds an empty database from a config file that exists, and issues a first key", () => {
    const command = service("migrate").command;
    expect(command).toEqual(["migrate", "--seed-config", expect.any(String), "--first-key"]);
    expect(service("migrate").volumes).toEqual(["./config:/config:ro"]);
    const seed = String(command?.[2]);
    expect(seed.startsWith("/config/")).toBe(true);
    expect(existsSync(join(REPO_ROOT, "config", seed.slice("/config/".length)))).toBe(true);
  });

  it("seeds no client key but published ones, which migrate leaves out", () => {
    const seed = String(service("migrate").command?.[2]).slice("/config/".length);
    const file = parse(readFileSync(join(REPO_ROOT, "config", seed), "utf8")) as {
      settings: { apiKeys: string[] };
    };
    expect(file.settings.apiKeys.length).toBeGreaterThan(0);
    expect(file.settings.apiKeys.filter((key) => !isPublicExampleKey(key))).toEqual([]);
  });

  it("holds no published client key in any setting", () => {
    const files = [
      "docker-compose.yml",
      ".env.example",
      "infra/nginx/nginx.conf",
      "infra/helm/429chain/values.yaml",
      "infra/helm/429chain/ci/lint-values.yaml",
    ];
    for (const file of files) {
      const text = readFileSync(join(REPO_ROOT, file), "utf8");
      for (const key of PUBLIC_EXAMPLE_CLIENT_KEYS) expect(text, file).not.toContain(key);
    }
  });

  it("health-checks each app on the port it listens on", () => {
    for (const name of GATEWAYS) {
      const port = serviceEnv(service(name)).METRICS_PORT;
      expect(service(name).healthcheck?.test.join(" ")).toContain(`127.0.0.1:${port}/ready`);
    }
    const workerPort = serviceEnv(service("worker")).WORKER_PORT;
    expect(service("worker").healthcheck?.test.join(" ")).toContain(`:${workerPort}/health`);
    const adminPort = serviceEnv(service("admin")).PORT;
    expect(service("admin").healthcheck?.test.join(" ")).toContain(`:${adminPort}/`);
    expect(service("admin").ports).toEqual([`${dotEnv.ADMIN_PORT}:${adminPort}`]);
  });

  it("starts the apps only after a successful migration on a healthy postgres and redis", () => {
    expect(service("migrate").depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    for (const name of APPS) {
      expect(service(name).depends_on, name).toEqual({
        postgres: { condition: "service_healthy" },
        redis: { condition: "service_healthy" },
        migrate: { condition: "service_completed_successfully" },
      });
    }
  });

  it("serves /metrics and /ready on a gateway port of their own, published nowhere", () => {
    for (const name of GATEWAYS) {
      const env = serviceEnv(service(name));
      expect(env.METRICS_PORT, name).toMatch(/^\d+$/);
      expect(env.METRICS_PORT, name).not.toBe(env.PORT);
    }
    for (const name of ["migrate", ...APPS].filter((n) => n !== "admin")) {
      expect(service(name).ports, name).toBeUndefined();
    }
    const conf = readFileSync(join(REPO_ROOT, "infra/nginx/nginx.conf"), "utf8");
    for (const name of GATEWAYS) {
      expect(conf).not.toContain(`${name}:${serviceEnv(service(name)).METRICS_PORT}`);
    }
  });

  it("puts both gateway replicas, with distinct replica ids, behind nginx", () => {
    const ids = GATEWAYS.map((name) => serviceEnv(service(name)).REPLICA_ID);
    expect(new Set(ids).size).toBe(2);
    for (const name of GATEWAYS) expect(service(name).ports, name).toBeUndefined();
    expect(service("nginx").depends_on).toEqual({
      "gateway-1": { condition: "service_healthy" },
      "gateway-2": { condition: "service_healthy" },
    });
    expect(service("nginx").ports).toEqual([`${dotEnv.GATEWAY_PORT}:3429`]);
    const [configFile, target] = (service("nginx").volumes?.[0] ?? "").split(":");
    expect(target).toBe("/etc/nginx/nginx.conf");
    const conf = readFileSync(join(REPO_ROOT, configFile ?? ""), "utf8");
    for (const name of GATEWAYS) {
      expect(conf).toContain(`server ${name}:${serviceEnv(service(name)).PORT}`);
    }
  });

  it("gives stopping gateways longer than their own drain timeout", () => {
    for (const name of GATEWAYS) {
      const grace = Number.parseInt(service(name).stop_grace_period ?? "0", 10) * 1000;
      expect(grace).toBeGreaterThan(Number(serviceEnv(service(name)).SHUTDOWN_TIMEOUT_MS));
    }
  });

  it("keeps redis from evicting keys and persists it, on declared volumes", () => {
    expect(service("redis").command?.join(" ")).toContain("--maxmemory-policy noeviction");
    expect(service("redis").command?.join(" ")).toContain("--appendonly yes");
    for (const [name, path] of [
      ["postgres", "/var/lib/postgresql/data"],
      ["redis", "/data"],
    ] as const) {
      const [volume, target] = (service(name).volumes?.[0] ?? "").split(":");
      expect(target, name).toBe(path);
      expect(Object.keys(compose.volumes), name).toContain(volume);
    }
  });
});

describe("docker-compose.yml environment", () => {
  it("gives each app only variables its env.ts declares", () => {
    const declared = (module: string, extra: string[] = []) => [
      ...declaredEnvNames(module),
      ...extra,
    ];
    const allowed: Record<string, string[]> = {
      "gateway-1": declared(ENV_MODULES.gateway),
      "gateway-2": declared(ENV_MODULES.gateway),
      worker: declared(ENV_MODULES.worker),
      migrate: declared(ENV_MODULES.cli),
      admin: declared(ENV_MODULES.admin),
    };
    for (const [name, names] of Object.entries(allowed)) {
      const passed = Object.keys(serviceEnv(service(name)));
      expect(
        passed.filter((key) => !names.includes(key)),
        name,
      ).toEqual([]);
    }
  });

  it("is accepted by the gateway's env parser, in DB mode with Redis and a valid MASTER_KEY", () => {
    for (const name of GATEWAYS) {
      const env = readGatewayEnv(serviceEnv(service(name)));
      expect(env).toMatchObject({
        HOST: "0.0.0.0",
        PORT: 3429,
        METRICS_PORT: 9464,
        REPLICA_ID: name,
      });
      expect(env.METRICS_TOKEN).toBeUndefined();
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      expect(env.REDIS_URL).toBe("redis://redis:6379");
      expect(() => parseMasterKey(env.MASTER_KEY)).not.toThrow();
    }
  });

  it("is accepted by the worker's env parser", () => {
    const env = readWorkerEnv(serviceEnv(service("worker")));
    expect(env).toMatchObject({ WORKER_PORT: 3430, REDIS_URL: "redis://redis:6379" });
  });

  it("is accepted by the CLI's env parser for the migrate step", () => {
    const env = readCliEnv(serviceEnv(service("migrate")));
    expect(env.database).toEqual({ url: serviceEnv(service("gateway-1")).DATABASE_URL });
    expect(() => env.masterKey()).not.toThrow();
  });

  it("is accepted by the admin's env parser", async () => {
    for (const [key, value] of Object.entries(serviceEnv(service("admin")))) {
      vi.stubEnv(key, value);
    }
    vi.resetModules();
    try {
      const { adminEnv } = await import("../../apps/admin/src/lib/env");
      expect(adminEnv()).toMatchObject({ PORT: 3431, GATEWAY_URL: "http://nginx:3429" });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("fails the gateway's env parser without a MASTER_KEY, as .env.example ships it", () => {
    const env = serviceEnv(loadCompose(readEnvFile(ENV_EXAMPLE)).services["gateway-1"] ?? {});
    expect(() => parseMasterKey(readGatewayEnv(env).MASTER_KEY)).toThrow(/MASTER_KEY/);
  });

  it("works without a .env for the development services: every reference has a default", () => {
    const bare = loadCompose({});
    expect(bare.services.postgres?.ports).toEqual(["127.0.0.1:5432:5432"]);
    expect(bare.services.redis?.ports).toEqual(["127.0.0.1:6379:6379"]);
    expect(variableReferences(composeText()).filter((ref) => !ref.hasDefault)).toEqual([]);
  });
});

describe(".env.example", () => {
  const text = readFileSync(ENV_EXAMPLE, "utf8");
  const listed = new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

  it("lists every variable docker-compose.yml interpolates", () => {
    const used = new Set(variableReferences(composeText()).map((ref) => ref.name));
    expect([...used].filter((name) => !listed.has(name))).toEqual([]);
  });

  it("lists every variable each app reads", () => {
    for (const module of Object.values(ENV_MODULES)) {
      const missing = declaredEnvNames(module).filter((name) => !listed.has(name));
      expect(missing, module).toEqual([]);
    }
  });

  it("says how to generate MASTER_KEY and leaves it empty", () => {
    expect(text).toContain("openssl rand -base64 32");
    expect(readEnvFile(ENV_EXAMPLE).MASTER_KEY).toBe("");
  });
});

describe("infra/nginx/nginx.conf", () => {
  const conf = readFileSync(join(REPO_ROOT, "infra/nginx/nginx.conf"), "utf8");
  /** Each `location <match> { … }` block's body, by its match; braces inside quotes are text. */
  const locations = new Map<string, string>();
  for (const m of conf.matchAll(/location\s+([^{]+?)\s*\{/g)) {
    let end = m.index + m[0].length;
    let quote = "";
    while (end < conf.length && (quote || conf[end] !== "}")) {
      const c = conf[end] as string;
      if (quote && c === quote) quote = "";
      else if (!quote && (c === "'" || c === '"')) quote = c;
      end += 1;
    }
    locations.set(m[1] as string, conf.slice(m.index + m[0].length, end));
  }
  const location = (match: string) => {
    const body = locations.get(match);
    if (body === undefined) throw new Error(`nginx.conf has no location ${match}`);
    return body;
  };
  /** nginx's choice for a normalised path: an exact `=` match, else the longest prefix. */
  const locationFor = (path: string) => {
    if (locations.has(`= ${path}`)) return `= ${path}`;
    const prefixes = [...locations.keys()].filter((m) => !m.startsWith("=") && path.startsWith(m));
    return prefixes.sort((a, b) => b.length - a.length)[0];
  };

  it("has only exact and prefix locations, so the longest-prefix rule decides", () => {
    expect([...locations.keys()].filter((m) => /^(~|\^~|@)/.test(m))).toEqual([]);
    expect(locations.has("/")).toBe(true);
  });

  it("proxies only the API (/v1/, /health) and the public page (/, /index.js, /openapi.json)", () => {
    const proxied = [...locations].filter(([, body]) => body.includes("proxy_pass"));
    expect(proxied.map(([match]) => match).sort()).toEqual(
      ["/v1/", "/v1/chat/completions", "= /health", "= /", "= /index.js", "= /openapi.json"].sort(),
    );
    // No proxy_pass outside those blocks (a server-level one would apply to every location).
    expect(conf.match(/proxy_pass /g)).toHaveLength(proxied.length);
    expect(locationFor("/v1/models")).toBe("/v1/");
    expect(locationFor("/v1/chat/completions")).toBe("/v1/chat/completions");
    expect(locationFor("/health")).toBe("= /health");
    for (const path of ["/", "/index.js", "/openapi.json"]) {
      expect(locationFor(path), path).toBe(`= ${path}`);
      expect(location(`= ${path}`)).toContain("proxy_pass http://gateways;");
      expect(location(`= ${path}`)).not.toContain("non_idempotent");
    }
  });

  it("answers /metrics, /ready and every other path with its own 404", () => {
    for (const path of [
      "/metrics",
      "/ready",
      "/health/",
      "/admin",
      "/v1",
      "/index.html",
      "/openapi.json/",
      "/openapi",
      "/docs",
    ]) {
      expect(locationFor(path), path).toBe("/");
    }
    expect(location("/")).not.toContain("proxy_pass");
    expect(location("/")).toMatch(/return 404 '\{"error":\{.*"code":"not_found"\}\}/);
    expect(conf).not.toMatch(/location[^{]*(metrics|ready)/);
  });

  it("streams chat completions unbuffered with a long read timeout over keep-alive", () => {
    const chat = location("/v1/chat/completions");
    expect(chat).toContain("proxy_pass http://gateways;");
    expect(chat).toMatch(/proxy_buffering off;/);
    expect(chat).toMatch(/proxy_read_timeout 1h;/);
    expect(location("/v1/")).toMatch(/proxy_buffering off;/);
    expect(location("/v1/")).toMatch(/proxy_read_timeout 1h;/);
    expect(conf).toMatch(/proxy_http_version 1\.1;/);
    expect(conf).toMatch(/proxy_set_header Connection "";/);
    expect(conf).toMatch(/keepalive \d+;/);
  });

  it("resends a chat completion only when the connection to a replica broke", () => {
    expect(location("/v1/chat/completions")).toMatch(/proxy_next_upstream error non_idempotent;/);
    expect(location("/v1/")).toMatch(/proxy_next_upstream error timeout http_502 http_503;/);
    expect(location("/v1/")).not.toContain("non_idempotent");
    expect(location("= /health")).toMatch(/proxy_next_upstream error timeout http_502 http_503;/);
    expect(conf).not.toMatch(/proxy_request_buffering off/);
  });
});
