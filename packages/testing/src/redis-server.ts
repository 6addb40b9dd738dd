import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { freePort } from "./free-port";
import { waitFor } from "./wait-for";

const READY_TIMEOUT_MS = 15_000;
const PING_TIMEOUT_MS = 1_000;

export interface RedisServer {
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** The running server's pid; a restart changes it. */
  readonly pid: number;
  /** SIGKILL, as in a crash: connections reset, every key lost. Resolves once it exited. */
  kill(): Promise<void>;
  /** SIGSTOP: the server stops answering while its sockets stay open, like a hung host. */
  freeze(): void;
  /** SIGCONT: a frozen server answers again, queued commands first. */
  thaw(): void;
  /** Starts a fresh, empty server on the same port and waits until it answers PING. */
  restart(): Promise<void>;
  /** Kills the server if it runs; safe at any time and more than once. */
  stop(): Promise<void>;
  /** What the server processes wrote to stdout and stderr. */
  output(): string;
}

/** True when the server on `port` answers PING, over a raw socket (no client library). */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PING_TIMEOUT_MS, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString("utf8").startsWith("+PONG")));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("close", () => resolve()));
}

/**
 * A Redis server of the test's own (`redis-server` on a free port, nothing persisted), for
 * tests that kill, freeze and restart it without disturbing the machine's shared Redis.
 */
export async function startRedisServer(
  options: {
    /** A config file to start from (first argument); options below override it. */
    configFile?: string;
    /** More arguments, e.g. ["--sentinel"]. */
    args?: string[];
  } = {},
): Promise<RedisServer> {
  const port = await freePort();
  let output = "";
  let child: ChildProcess | undefined;
  // A test runner that dies without its afterAll must not leave the server behind.
  const killOnExit = () => child?.kill("SIGKILL");
  process.once("exit", killOnExit);

  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  async function launch(): Promise<void> {
    const proc = spawn(
      "redis-server",
      [
        ...(options.configFile ? [options.configFile] : []),
        ...["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        ...(options.args ?? []),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child = proc;
    const append = (chunk: Buffer) => {
      output += chunk.toString("utf8");
    };
    proc.stdout?.on("data", append);
    proc.stderr?.on("data", append);
    proc.on("error", (err) => append(Buffer.from(`spawn failed: ${err.message}\n`)));
    const earlyExit = new AbortController();
    exited(proc).then(() => earlyExit.abort(new Error(`redis-server exited (${proc.exitCode})`)));
    try {
      await waitFor(() => pings(port), {
        timeoutMs: READY_TIMEOUT_MS,
        description: `redis-server on port ${port} answers PING`,
        signal: earlyExit.signal,
      });
    } catch (err) {
      proc.kill("SIGKILL");
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`redis-server did not start: ${reason}\n--- output ---\n${output}`);
    }
  }

  async function kill(): Promise<void> {
    const proc = child;
    if (!proc || !running()) return;
    proc.kill("SIGKILL");
    await exited(proc);
  }

  function signal(name: NodeJS.Signals): void {
    if (!child || !running()) throw new Error(`redis-server is not running (${name})`);
    child.kill(name);
  }

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      if (child?.pid === undefined) throw new Error("redis-server has no pid");
      return child.pid;
    },
    kill,
    freeze: () => signal("SIGSTOP"),
    thaw: () => signal("SIGCONT"),
    async restart() {
      await kill();
      await launch();
    },
    async stop() {
      await kill();
      process.off("exit", killOnExit);
    },
    output: () => output,
  };
}
