import { countUsableClientKeys, createClientKey } from "@429chain/db";
import { type CommandContext, dbOf } from "./command";

const FIRST_CLIENT_KEY_NAME = "first key";

/**
 * A deployment starts with no key anyone else knows: when the database holds no key a client
 * could use (none stored, every one revoked or expired, or only keys published in this
 * repository), issue one and print it. Only its hash is stored, so this output is the only
 * place it ever appears; a later run finds it and prints nothing.
 */
export async function issueFirstClientKey(ctx: CommandContext): Promise<void> {
  const db = await dbOf(ctx);
  const { usable, published } = await countUsableClientKeys(db);
  for (const key of published) {
    ctx.stderr(
      `warning: stored client key "${key.name}" (prefix ${key.displayPrefix}) is published in ` +
        "this repository; gateways listening beyond loopback refuse it. Remove it from " +
        "settings.apiKeys (admin console or `config import`).\n",
    );
  }
  if (usable > 0) return;
  const { key, record, version } = await createClientKey(
    db,
    { name: FIRST_CLIENT_KEY_NAME },
    "cli",
  );
  ctx.stdout(
    [
      "",
      "first client key (shown once, store it now):",
      "",
      `  ${key}`,
      "",
      `No client key could be used, so "${record.name}" (id ${record.id}, prefix ${record.displayPrefix}) was issued`,
      "for every chain. Only its hash is stored: it is never printed again. Issue more with",
      "`keys create` or in the admin console (API keys), and revoke this one when done with it.",
      "",
    ].join("\n"),
  );
  await ctx.publishConfigChanged(version);
}
