import { copyFile, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readEnv as readGatewayEnv } from "@429chain/gateway/env";
import { startGateway } from "@429chain/gateway/start";
import { UsageError } from "./cli-errors";

const EXAMPLE_CONFIG = fileURLToPath(
  new URL("../../../config/config.example.yaml", import.meta.url),
);
const DEFAULT_CONFIG = "./config/config.yaml";

export const V1_USAGE = [
  "usage: 429chain [--config|-c path] [--port|-p port]   start the gateway (429chain v1's command line)",
  "       429chain --init                               write the example config to ./config/config.yaml",
  "",
].join("\n");

/** 429chain v1 was started as `429chain [--config|-c path] [--port|-p port] [--init]`. */
export function isV1Invocation(argv: readonly string[]): boolean {
  const first = argv[0];
  return first === undefined || (first.startsWith("-") && first !== "--help" && first !== "-h");
}

/**
 * v1's command line: `--init` writes the example config (never over an existing one);
 * otherwise the gateway starts in this process, configured like `pnpm gateway` (config path
 * from --config, then CONFIG_PATH; port from --port, then PORT, then settings.port).
 */
export async function runV1(
  argv: readonly string[],
  stdout: (text: string) => void,
): Promise<void> {
  let values: { config?: string; port?: string; init?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: "string", short: "c" },
        port: { type: "string", short: "p" },
        init: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err), V1_USAGE);
  }
  if (values.init) {
    const target = resolve(DEFAULT_CONFIG);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(EXAMPLE_CONFIG, target, 1 /* COPYFILE_EXCL: never overwrite */).catch((err) => {
      if ((err as { code?: string }).code === "EEXIST") {
        throw new Error(`${DEFAULT_CONFIG} already exists; not overwriting it`);
      }
      throw err;
    });
    stdout(`wrote ${DEFAULT_CONFIG}; put your provider keys in it, then run 429chain\n`);
    return;
  }
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) {
    throw new UsageError(`--port must be a port number, got '${values.port}'`, V1_USAGE);
  }
  // The gateway's own environment, with these flags (its v1 spelling) winning.
  const env = readGatewayEnv();
  await startGateway({
    ...env,
    ...(values.config !== undefined ? { CONFIG_PATH: values.config } : {}),
    ...(values.port !== undefined ? { PORT: Number(values.port) } : {}),
  });
}
