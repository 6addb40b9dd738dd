import { execFile } from "node:child_process";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { answers, type Child, startChild } from "./child-process";

const run = promisify(execFile);
/** The load balancer of docker-compose.yml; the test serves the same file on loopback. */
const NGINX_CONF = fileURLToPath(new URL("../../../../infra/nginx/nginx.conf", import.meta.url));

async function which(binary: string): Promise<string | undefined> {
  try {
    const { stdout } = await run("sh", ["-c", `command -v ${binary}`]);
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

async function aptInstallNginx(): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = ["install", "-y", "-qq", "--no-install-recommends", "nginx"];
  try {
    await run("apt-get", install, { env, timeout: 180_000 });
  } catch {
    // A fresh image has no package lists yet.
    await run("apt-get", ["update", "-qq"], { env, timeout: 180_000 });
    await run("apt-get", install, { env, timeout: 180_000 });
  }
}

export type NginxBinary = { path: string } | { unavailable: string };

/** nginx from PATH; installed from Debian's packages when missing and this runs as root. */
export async function findOrInstallNginx(): Promise<NginxBinary> {
  const found = await which("nginx");
  if (found) return { path: found };
  if (process.getuid?.() !== 0 || !(await which("apt-get"))) {
    return {
      unavailable:
        "nginx is not installed and cannot be installed here (needs root and apt-get); " +
        "install it with `apt-get install nginx` or run scripts/ensure-services.sh as root",
    };
  }
  try {
    await aptInstallNginx();
  } catch (err) {
    return { unavailable: `installing nginx with apt-get failed: ${(err as Error).message}` };
  }
  const installed = await which("nginx");
  return installed
    ? { path: installed }
    : { unavailable: "apt-get installed nginx but it is not on PATH" };
}

function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  if (!pattern.test(text)) throw new Error(`infra/nginx/nginx.conf: cannot find ${what}`);
  return text.replace(pattern, replacement);
}

/**
 * infra/nginx/nginx.conf with the compose service names swapped for loopback ports and every
 * file nginx writes moved into `dir`. One worker process: round robin state is per worker,
 * so with one the alternation between replicas is exact.
 */
export function renderNginxConf(
  template: string,
  opts: { listenPort: number; gatewayPorts: number[]; dir: string },
): string {
  let conf = replaceOnce(
    template,
    /^([ \t]*)server\s+gateway-1:\d+([^;]*);\s*server\s+gateway-2:\d+[^;]*;/m,
    opts.gatewayPorts.map((p) => `$1server 127.0.0.1:${p}$2;`).join("\n"),
    "the two gateway servers in the upstream block",
  );
  conf = replaceOnce(
    conf,
    /^([ \t]*)listen\s+\d+;/m,
    `$1listen 127.0.0.1:${opts.listenPort};`,
    "listen",
  );
  conf = replaceOnce(conf, /^worker_processes\s+\S+;/m, "worker_processes 1;", "worker_processes");
  // The child's stdio are sockets, which nginx cannot open by path as /dev/stdout.
  conf = conf.replaceAll(
    /\baccess_log\s+\/dev\/stdout\b/g,
    `access_log ${join(opts.dir, "access.log")}`,
  );
  conf = conf.replaceAll(/\berror_log\s+\/dev\/stderr\b/g, "error_log stderr");
  const paths = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((name) => `  ${name}_temp_path ${join(opts.dir, `${name}_temp`)};`)
    .join("\n");
  conf = replaceOnce(conf, /^http\s*\{/m, `http {\n${paths}`, "the http block");
  return `pid ${join(opts.dir, "nginx.pid")};\n${conf}`;
}

export interface Nginx {
  url: string;
  stop(): Promise<void>;
  output(): string;
}

/** Runs nginx in the foreground with its prefix, pid, logs and temp files under `dir`. */
export async function startNginx(
  binary: string,
  opts: { listenPort: number; gatewayPorts: number[]; dir: string },
): Promise<Nginx> {
  const template = await readFile(NGINX_CONF, "utf8");
  await mkdir(join(opts.dir, "logs"), { recursive: true });
  // Workers run as nobody when the master is root; they must reach the temp directories.
  await chmod(opts.dir, 0o755);
  const confPath = join(opts.dir, "nginx.conf");
  await writeFile(confPath, renderNginxConf(template, opts));
  const url = `http://127.0.0.1:${opts.listenPort}`;
  const child: Child = await startChild({
    name: "nginx",
    command: binary,
    args: ["-p", opts.dir, "-c", confPath, "-e", "stderr", "-g", "daemon off;"],
    isReady: () => answers(`${url}/lb-health`),
  });
  // SIGQUIT is nginx's graceful shutdown; every stream is over by the time this is called.
  return { url, stop: () => child.stop("SIGQUIT"), output: child.output };
}
