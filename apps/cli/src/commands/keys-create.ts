import { createClientKey, describeKeyLimits } from "@429chain/db";
import { type Command, dbOf } from "../command";
import {
  optionalFutureDate,
  optionalList,
  optionalPositiveInt,
  optionalPositiveNumber,
  requiredString,
} from "../flag-values";

export const keysCreateCommand: Command = {
  path: ["keys", "create"],
  summary: "issue a client API key (shown once)",
  synopsis:
    "--name <name> [--chains a,b] [--rpm N] [--daily-tokens N] [--monthly-tokens N] [--daily-usd X] [--monthly-usd X] [--expires <date>]",
  help: [
    "Options:",
    "  --name <name>           what the key is for (required)",
    "  --chains <a,b>          chains the key may use (default: every chain)",
    "  --rpm <N>               requests per minute across every gateway replica",
    "  --daily-tokens <N>      tokens per UTC day",
    "  --monthly-tokens <N>    tokens per UTC month",
    "  --daily-usd <X>         spend per UTC day in USD (over it: 429 key_spend_exceeded)",
    "  --monthly-usd <X>       spend per UTC month in USD",
    "  --expires <date>        ISO 8601 date or date-time, e.g. 2026-12-31",
    "",
    "The key is printed once and only its hash is stored: it cannot be shown again.",
  ].join("\n"),
  options: {
    name: { type: "string" },
    chains: { type: "string" },
    rpm: { type: "string" },
    "daily-tokens": { type: "string" },
    "monthly-tokens": { type: "string" },
    "daily-usd": { type: "string" },
    "monthly-usd": { type: "string" },
    expires: { type: "string" },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, { values }) {
    const input = {
      name: requiredString(values, "name"),
      chains: optionalList(values, "chains"),
      rpm: optionalPositiveInt(values, "rpm"),
      dailyTokens: optionalPositiveInt(values, "daily-tokens"),
      monthlyTokens: optionalPositiveInt(values, "monthly-tokens"),
      dailyUsd: optionalPositiveNumber(values, "daily-usd"),
      monthlyUsd: optionalPositiveNumber(values, "monthly-usd"),
      expiresAt: optionalFutureDate(values, "expires"),
    };
    const { key, record, version } = await createClientKey(await dbOf(ctx), input, "cli");
    ctx.stdout(
      [
        `created client key "${record.name}" (id ${record.id}, prefix ${record.displayPrefix})`,
        describeKeyLimits(record),
        "",
        `  ${key}`,
        "",
        "Store it now; it cannot be shown again.",
        "",
      ].join("\n"),
    );
    await ctx.publishConfigChanged(version);
  },
};
