/** Why a waiting request stopped waiting. */
export type WakeReason = "run" | "head" | "timer" | "deadline" | "gone" | "released";

/**
 * One waiting request on this replica. Messages naming its ticket wake it; one that arrives
 * while it is running the waterfall is kept for its next wait, so no wake-up is lost.
 */
export class Waiter {
  private pending: "run" | "head" | "released" | undefined;
  private settle: ((reason: WakeReason) => void) | undefined;

  constructor(readonly queue: string) {}

  wake(kind: "run" | "head" | "released"): void {
    if (this.settle) {
      this.settle(kind);
      return;
    }
    if (this.pending === "released") return;
    if (kind !== "head" || !this.pending) this.pending = kind;
  }

  /** Until a message, the head's timer (`timerAt`), the deadline or the client leaving. */
  wait(opts: { signal: AbortSignal; timerAt: number | undefined; giveUpAt: number }) {
    const { signal, timerAt, giveUpAt } = opts;
    if (signal.aborted) return Promise.resolve<WakeReason>("gone");
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      return Promise.resolve<WakeReason>(pending);
    }
    return new Promise<WakeReason>((resolve) => {
      const now = Date.now();
      const deadline = setTimeout(() => done("deadline"), Math.max(0, giveUpAt - now));
      const timer =
        timerAt !== undefined && timerAt < giveUpAt
          ? setTimeout(() => done("timer"), Math.max(0, timerAt - now))
          : undefined;
      const onAbort = () => done("gone");
      const done = (reason: WakeReason) => {
        clearTimeout(deadline);
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.settle = undefined;
        resolve(reason);
      };
      this.settle = done;
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
