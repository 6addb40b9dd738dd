export const DEFAULT_KEY_PREFIX = "429chain:";

/**
 * Provider ids and model names may contain ':' and '/' (e.g. "meta-llama/llama-3:free"), so each
 * segment is percent-encoded: ':' (and '{', '}', so no name can pick a Redis Cluster hash tag)
 * never appears inside a segment and two different entries can never map to the same key.
 */
function encodeSegment(value: string): string {
  // encodeURIComponent throws on an unpaired surrogate; the gateway refuses such names at its
  // edge, so this only keeps a stray one (from a config file) from crashing a request.
  return encodeURIComponent(value.toWellFormed());
}

/**
 * Remembers a string function's answers: every request builds the same few keys again. Names
 * can come from clients (direct `provider/model` requests), so the memory is bounded: it starts
 * over once it holds `max` answers.
 */
function memo(fn: (value: string) => string, max = 4096): (value: string) => string {
  const seen = new Map<string, string>();
  return (value) => {
    let out = seen.get(value);
    if (out === undefined) {
      if (seen.size >= max) seen.clear();
      out = fn(value);
      seen.set(value, out);
    }
    return out;
  };
}

const encodedSegment = memo(encodeSegment);

export function providerScopeId(provider: string): string {
  return `p:${encodedSegment(provider)}`;
}

export function entryScopeId(provider: string, model: string): string {
  return `e:${encodedSegment(provider)}:${encodedSegment(model)}`;
}

/**
 * The Redis Cluster hash tag of a scope's keys: its provider account. Every key of a provider,
 * at provider and entry scope, hashes to one slot, so one script can read and write all of an
 * entry's state (a cluster refuses a script whose keys span slots), while different providers
 * spread over the shards.
 */
function tagOf(scopeId: string): string {
  // Scope ids are "p:<provider>" or "e:<provider>:<model>", segments encoded (no ':' inside).
  return `{p:${scopeId.split(":")[1] ?? ""}}`;
}

/**
 * The keys of one wait queue (a chain's, or a provider's for direct requests), tagged by the
 * queue so one script reads and writes all three on a cluster: the FIFO (sorted set, ticket
 * scored by a sequence), each ticket's liveness (sorted set, scored by expiry) and the
 * sequence counter.
 */
export function queueKeys(
  prefix: string,
  queue: string,
): { fifo: string; alive: string; seq: string } {
  const base = `${prefix}{q:${encodeSegment(queue)}}`;
  return { fifo: `${base}:fifo`, alive: `${base}:alive`, seq: `${base}:seq` };
}

/** The channel every replica hears queue changes and wake-ups on. */
export function queueChannel(prefix: string): string {
  return `${prefix}queue-wake`;
}

export interface QuotaKeys {
  readonly prefix: string;
  /** Hash {untilAt, kind, reason}. */
  cooldown(scopeId: string): string;
  /** Hash {n, at, exp}: consecutive 429s at one scope. */
  streak(scopeId: string): string;
  /** Hash: circuit breaker and mid-stream counters of one entry. */
  circuit(entryId: string): string;
  /** String "leaseId|expiresAt": the single half-open probe in flight. */
  probe(entryId: string): string;
  /** Hash: window name → JSON {u, l, r, t, a}: the upstream's last report and as of when. */
  headerWindows(scopeId: string): string;
  /** Hash: lease id → JSON {a, e, x}: requests in flight against the header windows. */
  headerReservations(scopeId: string): string;
  /** Hash {r, t, at}: recent use (requests, tokens) decayed to `at` (ledger/burn-rate.ts). */
  burn(scopeId: string): string;
  /** Counter of one fixed bucket of a manual limit. */
  manualBucket(scopeId: string, limitName: string, bucket: number): string;
  /** Sorted set: lease id scored by lease expiry. */
  inFlight(scopeId: string): string;
  /** Counter of one client API key's requests (per minute) or tokens (per day / month). */
  clientKeyBucket(keyId: string, kind: "rpm" | "day" | "month", period: string): string;
  /** Micro-dollars spent by one budget scope (a chain, a client key) in a UTC day or month. */
  spendBucket(scope: string, kind: "day" | "month", period: string): string;
}

/**
 * Keys are `<prefix><hash tag>:<kind>:<scope>`, the tag right after the prefix: even a prefix
 * with a stray '{' then gives one tag per provider (Redis hashes from the first '{' to the
 * first '}' after it), and a prefix with a whole tag of its own puts everything in one slot,
 * which is still correct. The layout is the same on one server and on a cluster, so a
 * deployment can move between them.
 */
export function createQuotaKeys(prefix: string = DEFAULT_KEY_PREFIX): QuotaKeys {
  const key = (kind: string) => memo((id) => `${prefix}${tagOf(id)}:${kind}:${id}`);
  const manual = key("ml");
  return {
    prefix,
    cooldown: key("cd"),
    streak: key("streak"),
    circuit: key("cb"),
    probe: key("probe"),
    headerWindows: key("hw"),
    headerReservations: key("hwr"),
    burn: key("burn"),
    manualBucket: (id, limitName, bucket) => `${manual(id)}:${limitName}:${bucket}`,
    inFlight: key("inflight"),
    // One client key's minute, day and month counters are one script's keys: tagged by key.
    clientKeyBucket: (keyId, kind, period) =>
      `${prefix}{ck:${encodeSegment(keyId)}}:${kind}:${period}`,
    // A scope's day and month counters are one script's keys: tagged by scope.
    spendBucket: (scope, kind, period) =>
      `${prefix}{sb:${encodeSegment(scope)}}:spend:${kind}:${period}`,
  };
}
