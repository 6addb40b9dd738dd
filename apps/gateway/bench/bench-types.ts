export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
}

/** One line of the final summary: a measured figure beside its target. */
export interface SummaryRow {
  figure: string;
  value: string;
  target: string;
}

export interface ScenarioResult {
  name: string;
  tables: Table[];
  summary: SummaryRow[];
  /** Raw numbers for the JSON file; null means "not measurable in this run". */
  figures: Record<string, number | string | null>;
  notes: string[];
}
