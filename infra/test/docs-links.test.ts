import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./compose-file";
import { headingAnchors, relativeLinks } from "./docs-markdown";

const read = (path: string) => readFileSync(join(REPO_ROOT, path), "utf8");
const DOCS = readdirSync(join(REPO_ROOT, "docs"))
  .filter((name) => name.endsWith(".md"))
  .map((name) => `docs/${name}`);

describe("relative links in README.md and docs/", () => {
  it.each(["README.md", ...DOCS])("%s links only to files and headings that exist", (page) => {
    const broken: string[] = [];
    for (const link of relativeLinks(read(page))) {
      const target = link.path ? join(dirname(page), decodeURI(link.path)) : page;
      if (!existsSync(join(REPO_ROOT, target))) {
        broken.push(`${link.path}: no such file`);
        continue;
      }
      if (link.anchor && target.endsWith(".md")) {
        const anchors = headingAnchors(read(target));
        if (!anchors.includes(link.anchor))
          broken.push(`${target}#${link.anchor}: no such heading`);
      }
    }
    expect(broken).toEqual([]);
  });
});
