import { type FSWatcher, watch } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { loadConfigFile } from "@429chain/config";
import type { FastifyBaseLogger } from "fastify";
import type { ConfigSource } from "./config-source";
import { buildSnapshot, type ConfigSnapshot, fileClientKeys } from "./snapshot";

interface FileConfigSourceOptions {
  path: string;
  log: FastifyBaseLogger;
  /** Called after each successful swap (metrics, tests). */
  onReload?: (result: "ok" | "rejected", snapshot: ConfigSnapshot) => void;
  /** Called after a new snapshot replaced the old one. */
  onSwap?: (previous: ConfigSnapshot, next: ConfigSnapshot) => void;
  debounceMs?: number;
}

/** YAML file at CONFIG_PATH, hot-reloaded when the file changes. Fails at boot if invalid. */
export async function createFileConfigSource(opts: FileConfigSourceOptions): Promise<ConfigSource> {
  const path = resolve(opts.path);
  const first = await loadConfigFile(path);
  if (!first.ok) {
    // Typo warnings often explain the errors ("did you mean apiKey?"), so show both.
    const lines = [...first.errors, ...first.warnings];
    throw new Error(`config ${path} is invalid:\n  ${lines.join("\n  ")}`);
  }
  for (const w of first.warnings) opts.log.warn({ config: path }, w);
  let snapshot = buildSnapshot(first.config, 1, path, fileClientKeys(first.config));
  let timer: NodeJS.Timeout | undefined;

  async function reload(): Promise<boolean> {
    const result = await loadConfigFile(path);
    if (!result.ok) {
      opts.log.error(
        { config: path, errors: result.errors, warnings: result.warnings },
        `config reload rejected, still serving version ${snapshot.version}: ${result.errors.join("; ")}`,
      );
      opts.onReload?.("rejected", snapshot);
      return false;
    }
    for (const w of result.warnings) opts.log.warn({ config: path }, w);
    const previous = snapshot;
    snapshot = buildSnapshot(
      result.config,
      snapshot.version + 1,
      path,
      fileClientKeys(result.config),
    );
    opts.onSwap?.(previous, snapshot);
    opts.log.info({ config: path, version: snapshot.version }, "config reloaded");
    opts.onReload?.("ok", snapshot);
    return true;
  }

  // Watch the directory, not the file: editors and `mv` replace the inode.
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), (_event, name) => {
      if (name !== null && name !== basename(path)) return;
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), opts.debounceMs ?? 100);
    });
    watcher.on("error", (err) => opts.log.warn({ err }, "config watcher failed; hot reload off"));
  } catch (err) {
    opts.log.warn({ err }, "cannot watch the config directory; hot reload off");
  }

  return {
    current: () => snapshot,
    reload,
    health: () => "ok",
    async close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
