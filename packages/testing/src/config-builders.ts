import type { ConfigInput } from "@429chain/contracts";

type ChainInput = ConfigInput["chains"][number];
type EntryInput = ChainInput["entries"][number];

/**
 * A chain over entries written "provider/model" (split at the first "/"), or as entry objects
 * where one needs more fields, in order; `fields` adds the chain's other settings.
 */
export function chainOf(
  name: string,
  entries: readonly (string | EntryInput)[],
  fields: Omit<Partial<ChainInput>, "name" | "entries"> = {},
): ChainInput {
  return {
    name,
    ...fields,
    entries: entries.map((e) => {
      if (typeof e !== "string") return e;
      const slash = e.indexOf("/");
      return { provider: e.slice(0, slash), model: e.slice(slash + 1) };
    }),
  } as ChainInput;
}
