/**
 * Settles that run after the response was sent. Shutdown waits for them before closing the
 * quota store, so no outcome (a 429's cooldown, a released concurrency slot) is lost.
 */
export class PendingSettles {
  private readonly pending = new Set<Promise<unknown>>();

  track(settle: Promise<unknown>): void {
    this.pending.add(settle);
    void settle.finally(() => this.pending.delete(settle));
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
