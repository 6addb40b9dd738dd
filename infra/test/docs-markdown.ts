import type { KeyNode } from "@429chain/config";

/** A `## `/`### ` section of a Markdown page: its heading line and the lines up to the next. */
export interface Section {
  heading: string;
  body: string;
}

export function sections(markdown: string): Section[] {
  const parts = markdown.split(/^(?=#{2,3} )/m);
  return parts
    .filter((part) => part.startsWith("#"))
    .map((part) => {
      const newline = part.indexOf("\n");
      return { heading: part.slice(0, newline), body: part.slice(newline + 1) };
    });
}

/** The first cell of each table row, when it is one backticked name: `| `NAME` …`. */
export function tableNames(body: string): string[] {
  return [...body.matchAll(/^\|\s*`([^`]+)`[^|]*\|/gm)].map((m) => m[1] as string);
}

/** The first backticked text of each table row's second cell. */
export function secondCells(body: string): Map<string, string> {
  const rows = [...body.matchAll(/^\|\s*`([^`]+)`[^|]*\|\s*`([^`]+)`/gm)];
  return new Map(rows.map((m) => [m[1] as string, m[2] as string]));
}

/**
 * Every key the schema accepts, as a path: `settings.port`, `providers[].id`,
 * `providers[].modelRateLimits.*.tokensPerDay`.
 */
export function keyPaths(node: KeyNode, prefix = ""): string[] {
  switch (node.kind) {
    case "object":
      return Object.entries(node.fields).flatMap(([key, child]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        return [path, ...keyPaths(child, path)];
      });
    case "array":
      return keyPaths(node.item, `${prefix}[]`);
    case "record":
      return keyPaths(node.value, `${prefix}.*`);
    case "leaf":
      return [];
  }
}

/**
 * The fields a page documents: each `<!-- fields: a b -->` comment names the objects the next
 * table describes (`$` is the document itself), and each row of that table one field.
 */
export function documentedFields(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/<!-- fields: ([^>]+) -->\n+((?:\|.*\n)+)/g)) {
    const owners = (m[1] as string).trim().split(/\s+/);
    for (const field of tableNames(m[2] as string)) {
      for (const owner of owners) out.push(owner === "$" ? field : `${owner}.${field}`);
    }
  }
  return out;
}

export interface Link {
  /** The file, relative to the page; empty for a link to a heading of the page itself. */
  path: string;
  anchor: string | undefined;
}

/** Relative link targets of a Markdown page (inline links, outside code). */
export function relativeLinks(markdown: string): Link[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] as string)
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target))
    .map((target) => {
      const [path = "", anchor] = target.split("#");
      return { path, anchor };
    });
}

/** The anchors GitHub gives a page's headings (lower case, punctuation dropped, `-` for spaces). */
export function headingAnchors(markdown: string): string[] {
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, "");
  return [...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => {
    const slug = (m[1] as string)
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    return count === 0 ? slug : `${slug}-${count}`;
  });
}
