import { rotateSecrets } from "@429chain/db";
import { CliError } from "../cli-errors";
import { type Command, dbOf } from "../command";

export const secretsRotateCommand: Command = {
  path: ["secrets", "rotate"],
  summary: "re-encrypt every stored secret under a new master key",
  synopsis: "",
  help: [
    "Environment: MASTER_KEY (the current key) and NEW_MASTER_KEY (generate one with",
    "`openssl rand -base64 32`). Every provider key and stored client key is re-encrypted in",
    "one transaction: all or nothing. The admin console's playground client key, derived from",
    "MASTER_KEY, is revoked in the same transaction; the console derives a new one on next use.",
    "Afterwards set MASTER_KEY to the new value everywhere (gateways, admin console, this CLI)",
    "and restart the gateways.",
  ].join("\n"),
  options: {},
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const oldKey = ctx.env.masterKey();
    const newKey = ctx.env.newMasterKey();
    if (oldKey.id === newKey.id) {
      throw new CliError("NEW_MASTER_KEY is the same key as MASTER_KEY: nothing to rotate");
    }
    const result = await rotateSecrets(await dbOf(ctx), oldKey, newKey, "cli");
    // Key ids are hash prefixes that name a key without revealing it.
    ctx.stdout(
      [
        `re-encrypted ${result.providers} provider key(s) and ${result.clientKeys} client key(s) ` +
          `from master key ${oldKey.id} to ${newKey.id}: config version ${result.version}`,
        `revoked ${result.playgroundKeysRevoked} admin playground key(s) derived from the old key ` +
          "(the admin console derives a new one on its next use)",
        "",
        "Now set MASTER_KEY to the value of NEW_MASTER_KEY wherever it is used (gateways, admin",
        "console, this CLI) and restart the gateways. Until they restart they keep serving their",
        "current config but cannot load changes; the old key no longer decrypts anything.",
        "",
      ].join("\n"),
    );
    await ctx.publishConfigChanged(result.version);
  },
};
