// Types of build-app.mjs for the TypeScript that imports it (its tests).
export interface AppBuild {
  /** The app's directory: its package.json lists the packages the bundle may import. */
  appDir: string;
  /** Relative to appDir, e.g. "src/main.ts". */
  entry: string;
  /** Relative to appDir (or absolute), e.g. "dist/main.mjs". */
  outfile: string;
}
export const REPO_ROOT: string;
export function buildApp(app: AppBuild): Promise<void>;
export function buildReason(app: Pick<AppBuild, "appDir" | "outfile">): string | null;
export function ensureBuilt(apps: AppBuild[], say?: (line: string) => void): Promise<string[]>;
