import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const CLI = fileURLToPath(new URL("../../../cli/bin/429chain.mjs", import.meta.url));
const run = promisify(execFile);

export interface OperatorEnv {
  DATABASE_URL: string;
  MASTER_KEY: string;
  REDIS_URL: string;
  REDIS_KEY_PREFIX: string;
}

/** Runs `429chain <args>` as the operator would; resolves with stdout on exit 0. */
export async function runCli(env: OperatorEnv, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      timeout: 60_000,
    });
    return stdout;
  } catch (err) {
    const { stderr } = err as { stderr?: string };
    throw new Error(`429chain ${args.join(" ")} failed: ${stderr ?? (err as Error).message}`);
  }
}

/** The operator's setup path: migrate, import the YAML config, issue a client key. */
export async function setUpDatabase(env: OperatorEnv, configPath: string): Promise<string> {
  await runCli(env, ["migrate"]);
  await runCli(env, ["config", "import", configPath]);
  const printed = await runCli(env, ["keys", "create", "--name", "system-test"]);
  const key = /^\s+(sk-429-\S+)\s*$/m.exec(printed)?.[1];
  if (!key) throw new Error(`keys create printed no key:\n${printed}`);
  return key;
}
