import { migrate } from "@429chain/db";
import type { Command } from "../command";
import { importConfigFile } from "../import-config-file";
import { issueFirstClientKey } from "../issue-first-client-key";

export const migrateCommand: Command = {
  path: ["migrate"],
  summary: "apply pending database migrations",
  synopsis: "[--seed-config <file.yaml>] [--first-key]",
  help: [
    "Applies every migration the database does not have yet. Safe to run again; gateways",
    "never migrate at boot, so run this before starting a new version.",
    "",
    "--seed-config <file>  then import the file if the database holds no config yet (as",
    "                      `config import --if-empty`): a deployment's migrate step gives",
    "                      the gateways a first config and never overwrites admin edits.",
    "                      Client keys published in this repository (the example's",
    "                      placeholder) are left out.",
    "--first-key           then, if no stored client key can be used (none, all revoked or",
    "                      expired, or only published ones), issue one and print it once.",
    "                      Later runs find it and print nothing.",
  ].join("\n"),
  options: { "seed-config": { type: "string" }, "first-key": { type: "boolean" } },
  positionals: { min: 0, max: 0 },
  async run(ctx, { values }) {
    await migrate(await ctx.openDatabase());
    ctx.stdout("database schema is up to date\n");
    const seed = values["seed-config"];
    if (typeof seed === "string") {
      await importConfigFile(ctx, seed, { ifEmpty: true, skipPublishedKeys: true });
    }
    if (values["first-key"] === true) await issueFirstClientKey(ctx);
  },
};
