import { costMicros, isFreePrice, type PricedUsage } from "@429chain/contracts";
import type { SpendBudgets, SpendReservation } from "@429chain/quota";
import type { CompiledChain, CompiledEntry } from "../config/snapshot";
import { priceIn } from "../config/snapshot";
import type { PendingSettles } from "./pending-settles";

type Held = Extract<SpendReservation, { ok: true }>;

/** Why a paid entry may not be tried, as its attempt's reason. */
export interface BudgetRefusal {
  reason: string;
  /** When the refusing window ends, if known. */
  until: number | null;
}

/**
 * The one owner of a request's spend reservations (its chain's budget; its key's is held by
 * the admission). Before a paid entry of a budgeted chain is tried, its estimated cost is
 * reserved; an attempt that does not serve gives it back, the serving one is settled to what
 * it cost when the request ends. Nothing is left reserved, whatever path the request takes.
 */
export class SpendSession {
  private held: Held | undefined;
  private closed = false;

  constructor(
    private readonly budgets: SpendBudgets,
    private readonly settles: PendingSettles,
    /** The request's tokens at most (prompt + max output): what a reservation prices. */
    private readonly estimate: PricedUsage,
    /** The key's spend could not be checked: paid entries are not tried. */
    private readonly paidBlocked: string | null = null,
  ) {}

  /** Reserves what `entry` may cost; a refusal is why it is skipped. Free entries pass. */
  async admit(chain: CompiledChain, entry: CompiledEntry): Promise<BudgetRefusal | null> {
    this.release();
    const price = priceIn(chain, entry);
    if (!price || isFreePrice(price)) return null;
    if (this.paidBlocked) return { reason: this.paidBlocked, until: null };
    if (!chain.budget) return null;
    const r = await this.budgets.reserve(
      `chain:${chain.name}`,
      chain.budget,
      costMicros(price, this.estimate),
    );
    if (r.ok) {
      this.held = r;
      return null;
    }
    return {
      reason:
        r.reason === "spent"
          ? `budget: chain '${chain.name}' has spent its ${r.window === "day" ? "daily" : "monthly"} budget`
          : "budget: the spend budget cannot be checked (shared state unreachable); paid entries are skipped",
      until: r.retryAt,
    };
  }

  /** The attempt did not serve: what it reserved goes back. */
  release(): void {
    const held = this.held;
    this.held = undefined;
    if (held) this.settles.track(held.settle(0));
  }

  /** Ends the session: the serving entry's reservation becomes what it cost. Idempotent. */
  close(cost: number): void {
    if (this.closed) return;
    this.closed = true;
    const held = this.held;
    this.held = undefined;
    if (held) this.settles.track(held.settle(cost));
  }
}
