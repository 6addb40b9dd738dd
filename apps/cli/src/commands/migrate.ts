import { migrate } from "@429chain/db";
import type { Command } from "../command";
import { configImportCommand } from "./config-import";

export const migrateCommand: Command = {
  path: ["migrate"],
  summary: "apply pending database migrations",
  synopsis: "[--seed-config <file.yaml>]",
  help: [
    "Applies every migration the database does not have yet. Safe to run again; gateways",
    "never migrate at boot, so run this before starting a new version.",
    "",
    "--seed-config <file>  then import the file if the database holds no config yet (as",
    "                      `config import --if-empty`): a deployment's migrate step gives",
    "                      the gateways a first config and never overwrites admin edits.",
  ].join("\n"),
  options: { "seed-config": { type: "string" } },
  positionals: { min: 0, max: 0 },
  async run(ctx, { values }) {
    await migrate(await ctx.openDatabase());
    ctx.stdout("database schema is up to date\n");
    const seed = values["seed-config"];
    if (typeof seed === "string") {
      await configImportCommand.run(ctx, { values: { "if-empty": true }, positionals: [seed] });
    }
  },
};
