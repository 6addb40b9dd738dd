import type { Command } from "../command";
import { importConfigFile } from "../import-config-file";

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
    await importConfigFile(ctx, positionals[0]!, {
      ifEmpty: values["if-empty"] === true,
      skipPublishedKeys: false,
    });
  },
};
