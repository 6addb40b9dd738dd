/**
 * What a translation met on its way: `unsupported` lists features the target cannot serve (the
 * entry is skipped with reason `unsupported`), `notes` what was dropped or changed on purpose.
 */
export interface TranslationIssues {
  unsupported: string[];
  notes: string[];
}

export const newIssues = (): TranslationIssues => ({ unsupported: [], notes: [] });

/** One short reason for the attempts list: the first feature, and how many more there were. */
function describeUnsupported(unsupported: string[]): string {
  const [first, ...rest] = unsupported;
  if (rest.length === 0) return first ?? "";
  return `${first} and ${rest.length} more`;
}

export type TranslationResult<T> =
  | { ok: true; request: T; notes: string[] }
  | { ok: false; unsupported: string };

export function toResult<T>(request: T, issues: TranslationIssues): TranslationResult<T> {
  if (issues.unsupported.length > 0) {
    return { ok: false, unsupported: describeUnsupported(issues.unsupported) };
  }
  return { ok: true, request, notes: issues.notes };
}
