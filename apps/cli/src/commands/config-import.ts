import { loadConfigFile } from "@429chain/config";
import { hasStoredConfig, importConfig } from "@429chain/db";
import { CliError } from "../cli-errors";
import { type Command, dbOf } from "../command";

export const configImportCommand: Command = {
  path: ["config", "import"],
  summary: "replace the stored config with a 429chain v1 YAML file",
  synopsis: "<file.yaml>",
  help: [
    "Validates the file (every problem is reported with its YAML path and line), then replaces",
    "providers, chains, settings and the file's client keys in one transaction: all or nothing.",
    "Client keys made with `keys create` are kept. Provider keys are encrypted under MASTER_KEY.",
    "A file from `config export` without --with-secrets keeps the stored secrets.",
    "",
    "--if-empty  import only when the database holds no config yet, else leave it alone: a",
    "            deployment's migrate step can seed a first config without ever overwriting",
    "            what was edited in the admin since.",
    "",
    "Environment: MASTER_KEY (required).",
  ].join("\n"),
  options: { "if-empty": { type: "boolean" } },
  positionals: { min: 1, max: 1 },
  async run(ctx, { positionals, values }) {
    const file = positionals[0]!;
    // Checked before reading the file so a missing key is the first thing the operator sees.
    const masterKey = ctx.env.masterKey();
    if (values["if-empty"] === true && (await hasStoredConfig(await dbOf(ctx)))) {
      ctx.stdout(`a config is already stored; ${file} not imported (--if-empty)\n`);
      return;
    }
    const loaded = await loadConfigFile(file);
    for (const warning of loaded.warnings) ctx.stderr(`warning: ${warning}\n`);
    if (!loaded.ok) {
      const count = loaded.errors.length;
      throw new CliError(
        `config import refused: ${count} error${count === 1 ? "" : "s"} in ${file}; the database is unchanged`,
        loaded.errors.map((e) => `error: ${e}`),
      );
    }
    const version = await importConfig(await dbOf(ctx), loaded.config, {
      masterKey,
      actor: "cli",
    });
    ctx.stdout(`imported ${file}: config version ${version}\n`);
    await ctx.publishConfigChanged(version);
  },
};
