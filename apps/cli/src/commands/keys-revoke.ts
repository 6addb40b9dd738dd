import { revokeClientKey } from "@429chain/db";
import { type Command, dbOf } from "../command";

export const keysRevokeCommand: Command = {
  path: ["keys", "revoke"],
  summary: "revoke a client API key by display prefix or id",
  synopsis: "<prefix-or-id>",
  help: [
    "Revokes the key at once on every gateway replica. The prefix is the one `keys list`",
    "shows (e.g. sk-429-AbC123); when two keys share it, use the id instead.",
    "Revoking a revoked key changes nothing.",
  ].join("\n"),
  options: {},
  positionals: { min: 1, max: 1 },
  async run(ctx, { positionals }) {
    const { record, version } = await revokeClientKey(await dbOf(ctx), positionals[0]!, "cli");
    if (version === null) {
      ctx.stdout(`client key ${record.displayPrefix} (${record.id}) was already revoked\n`);
      return;
    }
    ctx.stdout(
      `revoked client key "${record.name}" ${record.displayPrefix} (${record.id}): config version ${version}\n`,
    );
    await ctx.publishConfigChanged(version);
  },
};
