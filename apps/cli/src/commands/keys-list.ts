import { formatBudgets, formatChains, formatDate, listClientKeys } from "@429chain/db";
import { type Command, dbOf } from "../command";
import { formatTable } from "../format-table";

const HEADER = [
  "PREFIX",
  "NAME",
  "CHAINS",
  "RPM",
  "TOKEN BUDGETS",
  "EXPIRES",
  "REVOKED",
  "LAST USED",
  "SOURCE",
  "ID",
];

export const keysListCommand: Command = {
  path: ["keys", "list"],
  summary: "list client API keys (never their secrets)",
  synopsis: "[--json]",
  help: [
    "Options:",
    "  --json   one JSON array instead of a table",
    "",
    "Newest first. SOURCE is `issued` (keys create) or `config` (settings.apiKeys of an",
    "imported file). Revoke a key by its prefix, or by its id when prefixes collide.",
  ].join("\n"),
  options: { json: { type: "boolean" } },
  positionals: { min: 0, max: 0 },
  async run(ctx, { values }) {
    // listClientKeys selects no hash or ciphertext column, so nothing secret can reach here.
    const keys = await listClientKeys(await dbOf(ctx));
    if (values.json === true) {
      ctx.stdout(`${JSON.stringify(keys, null, 2)}\n`);
      return;
    }
    if (keys.length === 0) {
      ctx.stderr("no client keys yet: create one with `429chain keys create --name <name>`\n");
      return;
    }
    const rows = keys.map((k) => [
      k.displayPrefix,
      k.name,
      formatChains(k.allowedChains),
      k.rpm === null ? "-" : String(k.rpm),
      formatBudgets(k),
      formatDate(k.expiresAt),
      formatDate(k.revokedAt),
      formatDate(k.lastUsedAt),
      k.source,
      k.id,
    ]);
    ctx.stdout(formatTable(HEADER, rows));
  },
};
