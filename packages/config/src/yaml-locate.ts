import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";

interface Location {
  line: number;
  /** False when the path stops early; `line` is then the deepest existing ancestor's. */
  found: boolean;
}

function lineOf(node: Node | null | undefined, lineCounter: LineCounter, fallback: number): number {
  const offset = node?.range?.[0];
  return offset === undefined ? fallback : lineCounter.linePos(offset).line;
}

/**
 * Finds the line of a value by its path. For a mapping entry it is the key's line, because
 * a block value (a nested mapping or list) starts on the line after its key.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
): Location {
  let node: unknown = doc.contents;
  let line = lineOf(doc.contents, lineCounter, 1);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair) return { line, found: false };
      line = lineOf(pair.key as Node, lineCounter, line);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) return { line, found: false };
      line = lineOf(item as Node, lineCounter, line);
      node = item;
    } else {
      return { line, found: false };
    }
  }
  return { line, found: true };
}
