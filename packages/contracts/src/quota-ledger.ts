import { z } from "zod";
import { BurnRateSchema, EntryStateSchema, QuotaWindowStateSchema } from "./entry-state";

/**
 * How often a window refills. From the window's name where it says ("requests-day",
 * "manual:tokensPerMinute"), else from how far its reset was when last reported.
 */
const WINDOW_PERIODS = ["minute", "hour", "day", "other"] as const;
export type WindowPeriod = (typeof WINDOW_PERIODS)[number];

const WindowLedgerSchema = QuotaWindowStateSchema.extend({
  period: z.enum(WINDOW_PERIODS),
  /** Use of this window's scope (the provider account or the entry) per minute, lately. */
  burnPerMinute: z.number(),
  /**
   * When the window runs out at that rate, if before its reset; null: it lasts until the
   * reset (or nothing is using it, or its reset is unknown and nothing burns it).
   */
  runsOutAt: z.number().nullable(),
});
export type WindowLedger = z.infer<typeof WindowLedgerSchema>;

/** One entry's quota: its live state plus what is left, how fast it goes and when it ends. */
const EntryLedgerSchema = EntryStateSchema.omit({ windows: true }).extend({
  label: z.string(),
  burn: z.object({ entry: BurnRateSchema, provider: BurnRateSchema }),
  windows: z.array(WindowLedgerSchema),
  /** Earliest runsOutAt of its windows: when this entry is expected to stop serving. */
  runsOutAt: z.number().nullable(),
});
export type EntryLedger = z.infer<typeof EntryLedgerSchema>;

/** Requests or tokens a chain has left; null where some entry's limit is not known. */
const CapacitySchema = z.object({
  /** Servable right now: entries not cooling down, each up to its tightest window. */
  now: z.number().nullable(),
  /** Left in minute windows until they reset. */
  minute: z.number().nullable(),
  /** Left in day windows until they reset (entries out for the day count nothing). */
  day: z.number().nullable(),
});
export type Capacity = z.infer<typeof CapacitySchema>;

const ChainLedgerSchema = z.object({
  name: z.string(),
  kind: z.enum(["chat", "embeddings"]).nullable(),
  /** Entry labels in chain order; their ledgers are in the response's `entries`. */
  entries: z.array(z.string()),
  /** The first entry that would be tried now (null: every entry is out). */
  activeEntry: z.string().nullable(),
  capacity: z.object({ requests: CapacitySchema, tokens: CapacitySchema }),
  /** The chain's entries' use per minute, lately (entries shared with other chains included). */
  burn: BurnRateSchema,
  /** Upcoming resets of its entries' windows, soonest first. */
  resets: z.array(
    z.object({
      entry: z.string(),
      window: z.string(),
      period: z.enum(WINDOW_PERIODS),
      at: z.number(),
    }),
  ),
  /**
   * When every entry is expected to be out for the day at the current rate (null: not before
   * the day windows reset, or not enough is known to say). Minute windows are ignored: they
   * come back within the minute.
   */
  exhaustedAt: z.number().nullable(),
  /** When an entry of an exhausted chain serves again (null: the chain is serving). */
  availableAt: z.number().nullable(),
  /** Requests waiting for the chain (queueMode only), across every replica. */
  queue: z
    .object({
      depth: z.number().int(),
      /** How long the first in line has waited (null: nobody waits). */
      oldestWaitMs: z.number().nullable(),
    })
    .optional(),
});
export type ChainLedger = z.infer<typeof ChainLedgerSchema>;

/** GET /v1/quota: the ledger of the chains a key may use. */
export const QuotaLedgerSchema = z.object({
  object: z.literal("quota"),
  at: z.number(),
  stateStore: z.enum(["ok", "degraded"]),
  chains: z.array(ChainLedgerSchema),
  entries: z.array(EntryLedgerSchema),
});
export type QuotaLedger = z.infer<typeof QuotaLedgerSchema>;
