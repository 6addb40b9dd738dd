import { loadConfigFile } from "@429chain/config";
import { type Config, isPublicExampleKey } from "@429chain/contracts";
import { hasStoredConfig, importConfig } from "@429chain/db";
import { CliError } from "./cli-errors";
import { type CommandContext, dbOf } from "./command";

interface ImportConfigFileOptions {
  /** Import only when the database holds no config yet. */
  ifEmpty: boolean;
  /**
   * Leave out client keys published in this repository (the example's placeholder): a
   * deployment's seed must not make a key anyone can read into a working credential.
   */
  skipPublishedKeys: boolean;
}

/** `config import` and `migrate --seed-config`: validate a YAML file and store it. */
export async function importConfigFile(
  ctx: CommandContext,
  file: string,
  options: ImportConfigFileOptions,
): Promise<void> {
  // Checked before reading the file so a missing key is the first thing the operator sees.
  const masterKey = ctx.env.masterKey();
  if (options.ifEmpty && (await hasStoredConfig(await dbOf(ctx)))) {
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
  const config = options.skipPublishedKeys
    ? withoutPublishedKeys(ctx, loaded.config)
    : loaded.config;
  const version = await importConfig(await dbOf(ctx), config, { masterKey, actor: "cli" });
  ctx.stdout(`imported ${file}: config version ${version}\n`);
  await ctx.publishConfigChanged(version);
}

function withoutPublishedKeys(ctx: CommandContext, config: Config): Config {
  const apiKeys = config.settings.apiKeys.filter((key, index) => {
    if (!isPublicExampleKey(key)) return true;
    ctx.stderr(
      `warning: settings.apiKeys[${index}] (${key}) is the example key published in this ` +
        "repository, so anyone could use it: not imported\n",
    );
    return false;
  });
  return { ...config, settings: { ...config.settings, apiKeys } };
}
