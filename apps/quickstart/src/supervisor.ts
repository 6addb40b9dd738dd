import { type Child, type ChildExit, type ChildSpec, startChild } from "./child-process";

export function describeExit(exit: ChildExit): string {
  if (exit.error) return `could not start: ${exit.error.message}`;
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

/**
 * Owns everything the launcher opened and closes it: the processes first, then the rest (the
 * database, the lock), each in reverse order of opening — so no process is left talking to a
 * database that is gone, whenever it was started. A long-running child that exits before
 * `closeAll` aborts `failed` with the reason.
 */
export class Supervisor {
  readonly #closers: Array<{ name: string; close: () => Promise<void> | void; child: boolean }> =
    [];
  readonly #children: Child[] = [];
  readonly #failed = new AbortController();
  #closing = false;

  constructor(
    private readonly write: (line: string) => void,
    private readonly stopTimeoutMs: number,
  ) {}

  /** Aborted with an Error naming the child that exited unexpectedly. */
  get failed(): AbortSignal {
    return this.#failed.signal;
  }

  onClose(name: string, close: () => Promise<void> | void): void {
    this.#closers.push({ name, close, child: false });
  }

  /** Starts a child that must keep running until closeAll. */
  start(spec: ChildSpec): Child {
    const child = this.run(spec);
    child.exited.then((exit) => {
      if (this.#closing || this.#failed.signal.aborted) return;
      this.#failed.abort(new Error(`${spec.name} exited unexpectedly (${describeExit(exit)})`));
    });
    return child;
  }

  /** Starts a child that is expected to finish (a build); it is still stopped by closeAll. */
  run(spec: ChildSpec): Child {
    const child = startChild(spec, this.write);
    this.#children.push(child);
    this.write(`[quickstart] started ${spec.name} (pid ${child.pid})`);
    this.#closers.push({
      name: spec.name,
      close: () => child.stop(this.stopTimeoutMs),
      child: true,
    });
    return child;
  }

  /** Processes, then the rest; one failing closer does not keep the rest open. */
  async closeAll(): Promise<boolean> {
    this.#closing = true;
    let clean = true;
    const reversed = this.#closers.splice(0).reverse();
    const ordered = [...reversed.filter((c) => c.child), ...reversed.filter((c) => !c.child)];
    for (const { name, close } of ordered) {
      try {
        await close();
      } catch (err) {
        clean = false;
        this.write(`[quickstart] closing ${name} failed: ${(err as Error).message}`);
      }
    }
    this.#children.length = 0;
    return clean;
  }

  /** Last resort when the launcher itself dies: SIGKILL every child's process group, now. */
  killRemaining(): void {
    for (const child of this.#children) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
}
