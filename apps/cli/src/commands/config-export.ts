import { writeFile } from "node:fs/promises";
import {
  type ConfigExport,
  type Db,
  exportConfig,
  type MasterKey,
  SecretDecryptError,
} from "@429chain/db";
import { stringify } from "yaml";
import { CliError } from "../cli-errors";
import { type Command, dbOf } from "../command";

async function exportWithSecrets(db: Db, masterKey: MasterKey): Promise<ConfigExport> {
  try {
    return await exportConfig(db, { withSecrets: true, masterKey });
  } catch (err) {
    if (!(err instanceof SecretDecryptError)) throw err;
    // The usual cause is a MASTER_KEY left at its old value after `secrets rotate`.
    throw new CliError(
      `MASTER_KEY (key ${masterKey.id}) cannot decrypt the stored secrets: ${err.message}`,
    );
  }
}

export const configExportCommand: Command = {
  path: ["config", "export"],
  summary: "print the stored config as 429chain v1 YAML",
  synopsis: "[--with-secrets] [--out <file>]",
  help: [
    "Options:",
    "  --with-secrets   include provider keys, credential headers and settings.apiKeys in",
    "                   plaintext (needs MASTER_KEY)",
    "  --out <file>     write to <file> (created with mode 600) instead of stdout",
    "",
    "Without --with-secrets every secret is a <redacted:…> placeholder; importing such a file",
    "keeps the stored secrets, so export → import → export gives the same YAML. A credential",
    "header is one whose name contains key, auth, token or secret.",
  ].join("\n"),
  options: {
    "with-secrets": { type: "boolean" },
    out: { type: "string" },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, { values }) {
    const withSecrets = values["with-secrets"] === true;
    const db = await dbOf(ctx);
    const exported = withSecrets
      ? await exportWithSecrets(db, ctx.env.masterKey())
      : await exportConfig(db, { withSecrets: false });
    // Key order comes from exportConfig (schema order); lineWidth 0 keeps long strings on
    // one line so the text depends on nothing but the content.
    const text = stringify(exported.config, { lineWidth: 0 });
    const out = values.out;
    if (typeof out === "string") {
      // Created owner-only: with --with-secrets the file holds every provider key.
      await writeFile(out, text, { mode: 0o600 });
      ctx.stderr(`wrote ${out}\n`);
    } else {
      ctx.stdout(text);
    }
    if (exported.secrets === "redacted") {
      ctx.stderr(
        "note: provider keys and settings.apiKeys are redacted (<redacted:…>); importing this " +
          "file keeps the stored secrets. Use --with-secrets to include them.\n",
      );
    }
  },
};
