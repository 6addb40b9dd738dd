import { isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import { formatPath } from "./format-path";
import type { KeyNode } from "./schema-keys";
import { suggestKey } from "./suggest-key";

/**
 * Warnings for mapping keys the schema does not know. They are warnings, not errors,
 * because zod ignores unknown keys and every v1 file must keep loading.
 */
export function findUnknownKeys(
  node: unknown,
  tree: KeyNode,
  lineCounter: LineCounter,
  path: PropertyKey[] = [],
): string[] {
  const warnings: string[] = [];
  if (tree.kind === "array" && isSeq(node)) {
    node.items.forEach((item, i) => {
      warnings.push(...findUnknownKeys(item, tree.item, lineCounter, [...path, i]));
    });
  }
  if ((tree.kind === "object" || tree.kind === "record") && isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const child = tree.kind === "record" ? tree.value : tree.fields[key];
      if (child) {
        warnings.push(...findUnknownKeys(pair.value, child, lineCounter, [...path, key]));
        continue;
      }
      const known = tree.kind === "object" ? Object.keys(tree.fields) : [];
      const suggestion = suggestKey(key, known);
      const hint = suggestion ? `did you mean "${suggestion}"?` : "ignored";
      const offset = (pair.key as Node).range?.[0] ?? 0;
      const line = lineCounter.linePos(offset).line;
      warnings.push(`${formatPath([...path, key])}: unknown key, ${hint} (line ${line})`);
    }
  }
  return warnings;
}
