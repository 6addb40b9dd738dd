import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./compose-file";

const APPS = ["gateway", "worker", "admin", "migrate"] as const;
const PACKAGES = { gateway: "gateway", worker: "worker", admin: "admin", migrate: "cli" };
const PORTS = { gateway: 3429, worker: 3430, admin: 3431 };

function dockerfile(app: string): string {
  return readFileSync(join(REPO_ROOT, "infra/docker", `${app}.Dockerfile`), "utf8");
}

/** Instructions of the last stage (the image that ships), continuation lines joined. */
function finalStage(text: string): string[] {
  const lines = text.replace(/\\\n\s*/g, " ").split("\n");
  const start = lines.findLastIndex((line) => line.startsWith("FROM "));
  return lines.slice(start).filter((line) => line && !line.startsWith("#"));
}

describe.each(APPS)("infra/docker/%s.Dockerfile", (app) => {
  const text = dockerfile(app);
  const shipped = finalStage(text);

  it("is multi-stage and prunes the workspace to its app with turbo", () => {
    expect(text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
    expect(text).toContain(`turbo@2.11.11 prune @429chain/${PACKAGES[app]} --docker`);
    expect(text).toMatch(/COPY --from=pruner \/out\/json\/ /);
    expect(text).toMatch(/pnpm install --frozen-lockfile/);
  });

  it("ships as a non-root user", () => {
    expect(shipped.filter((line) => line.startsWith("USER "))).toEqual(["USER node"]);
  });

  it("ships no build toolchain: no turbo, no pnpm, no install in the final stage", () => {
    expect(shipped.join("\n")).not.toMatch(/turbo|pnpm|corepack|npm /);
  });

  if (app !== "admin") {
    it("builds the app with its build script and runs the build with node: no tsx", () => {
      const pkg = PACKAGES[app];
      expect(text).toContain(`RUN pnpm --filter @429chain/${pkg} build`);
      expect(text).toContain("COPY scripts/build-app.mjs ./scripts/");
      expect(text).toContain(`COPY --from=builder /app/apps/${pkg}/dist/ ./apps/${pkg}/dist/`);
      expect(shipped).toContain(`WORKDIR /app/apps/${pkg}`);
      const start = shipped.find((line) => /^(CMD|ENTRYPOINT) \["node"/.test(line));
      expect(start).toMatch(/^(CMD|ENTRYPOINT) \["node", "dist\/main\.mjs"\]$/);
      expect(text).not.toMatch(/tsx/);
    });
  }

  if (app === "migrate") {
    it("runs the CLI's migrate command and has no health check", () => {
      expect(shipped).toContain('ENTRYPOINT ["node", "dist/main.mjs"]');
      expect(shipped).toContain('CMD ["migrate"]');
      expect(text).not.toContain("HEALTHCHECK");
    });
  } else {
    it("health-checks the port it exposes", () => {
      const port = PORTS[app];
      expect(shipped.find((line) => line.startsWith("EXPOSE "))?.split(" ")).toContain(`${port}`);
      const check = shipped.find((line) => line.startsWith("HEALTHCHECK "));
      expect(check).toContain(`||${port})+'/`);
    });
  }
});

describe("infra/docker/gateway.Dockerfile listeners", () => {
  it("serves /metrics and /ready on METRICS_PORT by default, apart from the API port", () => {
    const shipped = finalStage(dockerfile("gateway"));
    const env = shipped.find((line) => line.startsWith("ENV ")) ?? "";
    const metricsPort = /\bMETRICS_PORT=(\d+)/.exec(env)?.[1];
    expect(metricsPort).toBeDefined();
    expect(metricsPort).not.toBe(/\bPORT=(\d+)/.exec(env)?.[1]);
    expect(shipped).toContain(`EXPOSE ${PORTS.gateway} ${metricsPort}`);
  });
});

describe("infra/docker/gateway.Dockerfile files", () => {
  it("ships public/ (the page and OpenAPI document) where the bundle looks for it", () => {
    expect(dockerfile("gateway")).toContain(
      "COPY --from=builder /app/apps/gateway/public/ ./apps/gateway/public/",
    );
  });
});

describe("installs", () => {
  const joined = (app: string) => dockerfile(app).replace(/\s*\\\n\s*/g, " ");

  it("install production dependencies only for the server apps", () => {
    for (const app of ["gateway", "worker", "migrate"] as const) {
      expect(joined(app), app).toContain(
        `pnpm install --frozen-lockfile --prod --store-dir /pnpm/store --filter-prod "@429chain/${PACKAGES[app]}..."`,
      );
    }
  });

  it("leave tsx out of the server apps' production dependencies: they run a build", () => {
    for (const app of ["gateway", "worker", "migrate"] as const) {
      const manifest = JSON.parse(
        readFileSync(join(REPO_ROOT, "apps", PACKAGES[app], "package.json"), "utf8"),
      ) as { dependencies?: Record<string, string> };
      expect(Object.keys(manifest.dependencies ?? {}), app).not.toContain("tsx");
    }
  });

  it("give the migrate image the SQL migrations where the CLI's build looks for them", () => {
    expect(dockerfile("migrate")).toContain(
      "COPY --from=pruner /out/full/packages/db/drizzle/ ./packages/db/drizzle/",
    );
  });

  it("ship the admin as Next's standalone output, without its build dependencies", () => {
    expect(finalStage(dockerfile("admin"))).toContain(
      "COPY --from=builder /app/apps/admin/.next/standalone/ ./",
    );
    expect(finalStage(dockerfile("admin"))).toContain('CMD ["node", "apps/admin/server.js"]');
  });

  it("keep secrets, local data and installed modules out of the build context", () => {
    const ignored = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of ["**/node_modules", "**/.next", ".env", "/data", ".git"]) {
      expect(ignored).toContain(entry);
    }
  });
});
