import { migrate } from "@429chain/db";
import type { Command } from "../command";

export const migrateCommand: Command = {
  path: ["migrate"],
  summary: "apply pending database migrations",
  synopsis: "",
  help: [
    "Applies every migration the database does not have yet. Safe to run again; gateways",
    "never migrate at boot, so run this before starting a new version.",
  ].join("\n"),
  options: {},
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    await migrate(await ctx.openDatabase());
    ctx.stdout("database schema is up to date\n");
  },
};
