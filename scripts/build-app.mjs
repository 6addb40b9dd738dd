// Builds one Node app into a single ESM file with esbuild: the app and the workspace packages'
// TypeScript source are bundled; every third-party package stays an import, resolved from the
// app's own node_modules at run time (bullmq reads its .lua files and PGlite its .wasm and
// .data from their package directories, so they must not be moved).
//
//   node ../../scripts/build-app.mjs [--if-stale] <entry> <outfile>   (in the app's directory)
//
// Next to the bundle: <outfile>.map and <outfile>.inputs.json, the files the build read, which
// `buildReason` compares with the bundle's mtime (a stat per file: a few milliseconds).
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const WORKSPACE_SCOPE = "@429chain/";
/** Read by every build besides the sources esbuild reports. */
const BUILD_CONFIG = ["scripts/build-app.mjs", "tsconfig.base.json"];

/** "@scope/name/sub/path" → "@scope/name"; "name/sub" → "name". */
function packageName(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const toPosix = (path) => path.split(sep).join("/");

/**
 * Workspace packages are bundled (they export TypeScript source); any other bare import stays
 * external, and is recorded so the build can check the app declares it.
 */
function externalsPlugin(imported) {
  return {
    name: "429chain-externals",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith(WORKSPACE_SCOPE) || isBuiltin(args.path)) return undefined;
        const name = packageName(args.path);
        if (!imported.has(name)) imported.set(name, toPosix(relative(REPO_ROOT, args.importer)));
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * `import.meta.url` in a bundled source file would name the bundle, not the file: paths found
 * relative to it (packages/db's SQL migrations, the repo root) would move. Each use becomes
 * the source file's URL, relative to the bundle's, so the repo can still move as a whole.
 */
function importMetaPlugin(outdir) {
  return {
    name: "429chain-import-meta",
    setup(build) {
      build.onLoad({ filter: /\.[cm]?tsx?$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = await readFile(args.path, "utf8");
        if (!source.includes("import.meta")) return undefined;
        if (/import\.meta\.(dirname|filename|resolve)\b/.test(source)) {
          return {
            errors: [
              {
                text: "use import.meta.url: import.meta.dirname, filename and resolve are not rewritten for the bundle",
              },
            ],
          };
        }
        const url = JSON.stringify(toPosix(relative(outdir, args.path)));
        return {
          contents: source.replaceAll("import.meta.url", `new URL(${url}, import.meta.url).href`),
          loader: args.path.endsWith("x") ? "tsx" : "ts",
        };
      });
    },
  };
}

/** Writes next to the target and renames: a concurrent build or reader never sees half a file. */
function writeAtomic(path, contents) {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}

/**
 * Bundles `<appDir>/<entry>` into `<appDir>/<outfile>` (ESM, node 20, linked source map).
 * Throws when the bundle imports a package the app does not list in `dependencies`: a
 * production install (`pnpm install --prod --filter-prod <app>...`) would not have it.
 */
export async function buildApp({ appDir, entry, outfile }) {
  const { build } = await import("esbuild");
  const out = resolve(appDir, outfile);
  const imported = new Map();
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [resolve(appDir, entry)],
    outfile: out,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: "warning",
    plugins: [externalsPlugin(imported), importMetaPlugin(dirname(out))],
  });
  const manifest = JSON.parse(readFileSync(join(appDir, "package.json"), "utf8"));
  const declared = new Set(Object.keys(manifest.dependencies ?? {}));
  const missing = [...imported].filter(([name]) => !declared.has(name));
  if (missing.length > 0) {
    const list = missing.map(([name, from]) => `${name} (imported by ${from})`).join(", ");
    throw new Error(`${manifest.name}: add to its package.json dependencies: ${list}`);
  }
  await mkdir(dirname(out), { recursive: true });
  const inputs = [
    ...Object.keys(result.metafile.inputs),
    ...BUILD_CONFIG,
    toPosix(relative(REPO_ROOT, join(appDir, "package.json"))),
  ];
  writeAtomic(`${out}.inputs.json`, `${JSON.stringify(inputs, null, 1)}\n`);
  // The bundle last: its mtime is what the inputs are compared with.
  const others = result.outputFiles.filter((file) => file.path !== out);
  for (const file of [...others, ...result.outputFiles.filter((file) => file.path === out)]) {
    writeAtomic(file.path, file.contents);
  }
}

/** Why the app needs a build, or null when `<outfile>` is newer than everything it was made of. */
export function buildReason({ appDir, outfile }) {
  const out = resolve(appDir, outfile);
  let built;
  let inputs;
  try {
    built = statSync(out).mtimeMs;
    inputs = JSON.parse(readFileSync(`${out}.inputs.json`, "utf8"));
  } catch {
    return "no build yet";
  }
  for (const input of inputs) {
    let mtime;
    try {
      mtime = statSync(join(REPO_ROOT, input)).mtimeMs;
    } catch {
      return `${input} is gone`;
    }
    if (mtime > built) return `${input} changed`;
  }
  return null;
}

/**
 * Builds each app whose build is missing or stale, together, then stops esbuild's service
 * process so none is left running beside the app. Returns the names built.
 */
export async function ensureBuilt(apps, say = () => {}) {
  const stale = apps
    .map((app) => ({ ...app, reason: buildReason(app) }))
    .filter((app) => app.reason !== null);
  if (stale.length === 0) return [];
  for (const app of stale)
    say(`building ${toPosix(relative(REPO_ROOT, app.appDir))} (${app.reason})`);
  try {
    await Promise.all(stale.map((app) => buildApp(app)));
  } finally {
    await (await import("esbuild")).stop();
  }
  return stale.map((app) => toPosix(relative(REPO_ROOT, app.appDir)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const ifStale = args[0] === "--if-stale";
  const [entry, outfile] = ifStale ? args.slice(1) : args;
  if (!entry || !outfile) {
    console.error("usage: node scripts/build-app.mjs [--if-stale] <entry> <outfile>");
    process.exit(2);
  }
  const app = { appDir: process.cwd(), entry, outfile };
  try {
    if (ifStale) await ensureBuilt([app], console.log);
    else await buildApp(app);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
