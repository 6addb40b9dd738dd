import type { Command } from "./command";
import { configExportCommand } from "./commands/config-export";
import { configImportCommand } from "./commands/config-import";
import { keysCreateCommand } from "./commands/keys-create";
import { keysListCommand } from "./commands/keys-list";
import { keysRevokeCommand } from "./commands/keys-revoke";
import { migrateCommand } from "./commands/migrate";
import { secretsRotateCommand } from "./commands/secrets-rotate";
import { usersCreateCommand } from "./commands/users-create";
import { V1_USAGE } from "./v1-serve";

export const COMMANDS: readonly Command[] = [
  migrateCommand,
  configImportCommand,
  configExportCommand,
  keysCreateCommand,
  keysListCommand,
  keysRevokeCommand,
  usersCreateCommand,
  secretsRotateCommand,
];

const ENVIRONMENT = [
  "Environment:",
  "  DATABASE_URL       postgres://… of the Postgres server, or",
  "  DATA_DIR           directory of the embedded database (PGlite); one of the two is required",
  "  MASTER_KEY         32-byte key encrypting stored secrets (`openssl rand -base64 32`);",
  "                     needed by config import, config export --with-secrets, secrets rotate",
  "  NEW_MASTER_KEY     the key secrets rotate moves to",
  "  REDIS_URL          when set, every config change is announced to the gateways at once",
  "  REDIS_KEY_PREFIX   default 429chain:",
  "  DEBUG=1            show stack traces of errors",
].join("\n");

function commandLine(command: Command): string {
  return ["429chain", ...command.path, command.synopsis].filter((s) => s !== "").join(" ");
}

function commandList(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.path.join(" ").length));
  return commands.map((c) => `  ${c.path.join(" ").padEnd(width)}  ${c.summary}`).join("\n");
}

export function mainUsage(): string {
  return [
    "usage: 429chain <command> [options]",
    V1_USAGE,
    "Commands:",
    commandList(COMMANDS),
    "",
    ENVIRONMENT,
    "",
    "Run `429chain <command> --help` for a command's options.",
    "",
  ].join("\n");
}

/** Usage of a group such as `keys`: its subcommands. */
export function groupUsage(group: string): string {
  const commands = COMMANDS.filter((c) => c.path[0] === group);
  return [`usage: 429chain ${group} <command> [options]`, "", commandList(commands), ""].join("\n");
}

export function commandUsage(command: Command): string {
  return [`usage: ${commandLine(command)}`, "", `${command.summary}.`, "", command.help, ""].join(
    "\n",
  );
}
