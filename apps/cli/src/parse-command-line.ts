import { parseArgs } from "node:util";
import { UsageError } from "./cli-errors";
import type { Command, ParsedArgs } from "./command";
import { COMMANDS, commandUsage, groupUsage, mainUsage } from "./commands";

type CommandLine =
  | { kind: "help"; text: string }
  | { kind: "run"; command: Command; args: ParsedArgs };

const HELP_FLAGS = new Set(["--help", "-h"]);

function findCommand(argv: readonly string[]): Command | undefined {
  return COMMANDS.find((c) => c.path.every((word, i) => argv[i] === word));
}

function isGroup(word: string | undefined): word is string {
  return COMMANDS.some((c) => c.path.length > 1 && c.path[0] === word);
}

/** Resolves the command and its arguments; throws UsageError for anything it cannot run. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const [first, second] = argv;
  if (first === undefined) throw new UsageError("missing command", mainUsage());
  if (HELP_FLAGS.has(first)) return { kind: "help", text: mainUsage() };
  if (first === "help") {
    const rest = argv.slice(1);
    if (rest.length === 0) return { kind: "help", text: mainUsage() };
    return parseCommandLine([...rest, "--help"]);
  }
  const command = findCommand(argv);
  if (!command) {
    if (!isGroup(first)) throw new UsageError(`unknown command "${first}"`, mainUsage());
    if (second === undefined) throw new UsageError(`missing ${first} command`, groupUsage(first));
    if (HELP_FLAGS.has(second)) return { kind: "help", text: groupUsage(first) };
    throw new UsageError(`unknown command "${first} ${second}"`, groupUsage(first));
  }
  const rest = argv.slice(command.path.length);
  if (rest.some((a) => HELP_FLAGS.has(a))) return { kind: "help", text: commandUsage(command) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: command.options,
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes and operator-readable messages.
    throw new UsageError((err as Error).message, commandUsage(command));
  }
  const { min, max } = command.positionals;
  const count = parsed.positionals.length;
  if (count < min) throw new UsageError("missing argument", commandUsage(command));
  if (count > max) {
    const extra = parsed.positionals.slice(max).join(" ");
    throw new UsageError(`unexpected argument "${extra}"`, commandUsage(command));
  }
  return {
    kind: "run",
    command,
    args: { values: parsed.values as ParsedArgs["values"], positionals: parsed.positionals },
  };
}
