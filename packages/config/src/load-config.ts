import { readFile } from "node:fs/promises";
import { type Config, FileConfigSchema } from "@429chain/contracts";
import { LineCounter, parseDocument } from "yaml";
import { formatIssues } from "./format-issues";
import { CONFIG_KEY_TREE } from "./schema-keys";
import { findUnknownKeys } from "./unknown-keys";

type LoadResult =
  | { ok: true; config: Config; warnings: string[] }
  /** `warnings` may explain an error, e.g. a misspelt key behind an "is required". */
  | { ok: false; errors: string[]; warnings: string[] };

// yaml's pretty messages end with a code excerpt; the first line already has line and column.
function firstLine(message: string): string {
  return message.split("\n")[0]!.trim().replace(/:$/, "");
}

/** Parses and validates config YAML; every message names the path and the line. */
export function parseConfigText(text: string, sourceName: string): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const yamlWarnings = doc.warnings.map((w) => `${sourceName}: ${firstLine(w.message)}`);
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => `${sourceName}: ${firstLine(e.message)}`);
    return { ok: false, errors, warnings: yamlWarnings };
  }
  if (doc.contents === null) {
    return { ok: false, errors: [`${sourceName}: the file is empty`], warnings: yamlWarnings };
  }
  const warnings = [
    ...yamlWarnings,
    ...findUnknownKeys(doc.contents, CONFIG_KEY_TREE, lineCounter),
  ];
  const input: unknown = doc.toJS();
  const parsed = FileConfigSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: formatIssues(parsed.error.issues, input, doc, lineCounter),
      warnings,
    };
  }
  return { ok: true, config: parsed.data, warnings };
}

export async function loadConfigFile(path: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? `config file not found: ${path}`
        : `cannot read config file ${path}: ${(err as Error).message}`;
    return { ok: false, errors: [reason], warnings: [] };
  }
  return parseConfigText(text, path);
}
