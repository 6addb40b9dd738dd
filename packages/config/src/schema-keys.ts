import { ConfigSchema } from "@429chain/contracts";
import { z } from "zod";

/** The shape of the keys a schema accepts, derived from the zod schema so it cannot drift. */
export type KeyNode =
  | { kind: "object"; fields: Record<string, KeyNode> }
  | { kind: "array"; item: KeyNode }
  | { kind: "record"; value: KeyNode }
  | { kind: "leaf" };

function buildKeyTree(schema: z.core.$ZodType): KeyNode {
  if (schema instanceof z.ZodObject) {
    const fields: Record<string, KeyNode> = {};
    for (const [key, field] of Object.entries(schema.shape)) {
      fields[key] = buildKeyTree(field);
    }
    return { kind: "object", fields };
  }
  if (schema instanceof z.ZodArray) return { kind: "array", item: buildKeyTree(schema.element) };
  if (schema instanceof z.ZodRecord) {
    return { kind: "record", value: buildKeyTree(schema.valueType) };
  }
  if (schema instanceof z.ZodPipe) return buildKeyTree(schema.in);
  // optional, default, nullable, readonly, prefault and catch all wrap an innerType.
  const inner = (schema._zod.def as { innerType?: z.core.$ZodType }).innerType;
  return inner ? buildKeyTree(inner) : { kind: "leaf" };
}

export const CONFIG_KEY_TREE: KeyNode = buildKeyTree(ConfigSchema);
