import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RedisServer, startRedisServer } from "./redis-server";

export interface RedisSentinel {
  /** redis+sentinel://127.0.0.1:PORT/<master name> */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * One Sentinel on a free loopback port watching the master on `masterPort` (quorum 1, no
 * failover within a test's lifetime): enough to connect the way a Sentinel deployment does.
 */
export async function startRedisSentinel(options: {
  masterPort: number;
  masterName?: string;
}): Promise<RedisSentinel> {
  const name = options.masterName ?? "mymaster";
  // Sentinel rewrites its config file, so it gets a writable one of its own.
  const dir = await mkdtemp(join(tmpdir(), "429chain-sentinel-"));
  const configFile = join(dir, "sentinel.conf");
  await writeFile(
    configFile,
    [
      `sentinel monitor ${name} 127.0.0.1 ${options.masterPort} 1`,
      `sentinel down-after-milliseconds ${name} 600000`,
      `sentinel failover-timeout ${name} 600000`,
      "",
    ].join("\n"),
  );
  let server: RedisServer;
  try {
    server = await startRedisServer({ configFile, args: ["--sentinel"] });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `redis+sentinel://127.0.0.1:${server.port}/${name}`,
    port: server.port,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
