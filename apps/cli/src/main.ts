import { createDb, type DbHandle } from "@429chain/db";
import { UsageError } from "./cli-errors";
import type { CommandContext } from "./command";
import { commandUsage } from "./commands";
import { createConfigChangedPublisher } from "./config-changed-publisher";
import { describeError } from "./describe-error";
import { isDebug, readEnv } from "./env";
import { parseCommandLine } from "./parse-command-line";
import { readStdin } from "./read-stdin";
import { isV1Invocation, runV1, V1_USAGE } from "./v1-serve";

const stdout = (text: string) => void process.stdout.write(text);
const stderr = (text: string) => void process.stderr.write(text);

function reportError(err: unknown, debug: boolean): void {
  const { lines, stack } = describeError(err);
  // Continuation lines (indented, e.g. one per problem) and lines that carry their own
  // prefix print as they are; every other line is an error of its own.
  for (const line of lines) {
    const plain = line.startsWith(" ") || line.startsWith("error: ");
    stderr(plain ? `${line}\n` : `error: ${line}\n`);
  }
  if (debug && stack) stderr(`${stack}\n`);
}

/** 429chain v1's command line: start the gateway, or --init. */
async function runV1Line(argv: readonly string[], debug: boolean): Promise<number> {
  try {
    await runV1(argv, stdout);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      stderr(`error: ${err.message}\n\n${err.usage ?? V1_USAGE}`);
      return 2;
    }
    reportError(err, debug);
    return 1;
  }
}

/** Composition root: parses the command line, reads env once, runs one command; exit code. */
async function main(argv: readonly string[]): Promise<number> {
  const debug = isDebug();
  if (isV1Invocation(argv)) return runV1Line(argv, debug);
  let line: ReturnType<typeof parseCommandLine>;
  try {
    line = parseCommandLine(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    stderr(`error: ${err.message}\n\n${err.usage ?? ""}`);
    return 2;
  }
  if (line.kind === "help") {
    stdout(line.text);
    return 0;
  }
  const { command, args } = line;
  let opened: Promise<DbHandle> | undefined;
  try {
    const env = readEnv();
    const ctx: CommandContext = {
      env,
      openDatabase: () => {
        opened ??= createDb(env.database);
        return opened;
      },
      publishConfigChanged: createConfigChangedPublisher({
        redisUrl: env.redisUrl,
        keyPrefix: env.redisKeyPrefix,
        warn: (message) => stderr(`warning: ${message}\n`),
      }),
      readStdin,
      stdout,
      stderr,
    };
    await command.run(ctx, args);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      stderr(`error: ${err.message}\n\n${err.usage ?? commandUsage(command)}`);
      return 2;
    }
    reportError(err, debug);
    return 1;
  } finally {
    // Exit by draining the event loop rather than process.exit, so piped output is complete;
    // that needs every pool and socket closed.
    const handle = await opened?.catch(() => undefined);
    await handle?.close().catch((err: unknown) => reportError(err, debug));
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    reportError(err, isDebug());
    process.exitCode = 1;
  },
);
