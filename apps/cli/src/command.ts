import type { ParseArgsConfig } from "node:util";
import type { Db, DbHandle } from "@429chain/db";
import type { CliEnv } from "./env";

/** What a command may use; main.ts builds it, tests of the parts can build their own. */
export interface CommandContext {
  env: CliEnv;
  /** Opens the database on first use; main.ts closes it. */
  openDatabase(): Promise<DbHandle>;
  /** Announces a new config version to the gateways; never throws (warns instead). */
  publishConfigChanged(version: number): Promise<void>;
  readStdin(): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export interface Command {
  /** Words after `429chain`, e.g. ["config", "import"]. */
  path: readonly string[];
  summary: string;
  /** The usage line's arguments after the command words, e.g. "<file.yaml>". */
  synopsis: string;
  /** Option lines and notes shown by --help. */
  help: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  positionals: { min: number; max: number };
  run(ctx: CommandContext, args: ParsedArgs): Promise<void>;
}

/** The drizzle database of the context's handle, for commands that need only queries. */
export async function dbOf(ctx: CommandContext): Promise<Db> {
  return (await ctx.openDatabase()).db;
}
