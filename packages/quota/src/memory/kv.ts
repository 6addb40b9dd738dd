type Value =
  | { type: "string"; v: string }
  | { type: "hash"; v: Map<string, string> }
  | { type: "zset"; v: Map<string, number> };

interface Slot {
  value: Value;
  /** Clock time after which the key is gone (the memory twin of PEXPIRE). */
  expiresAt: number | null;
}

/**
 * The handful of Redis data-structure commands the scripts use, in process. The memory store
 * runs the same plans as the Lua scripts against this, so both stores share one data model.
 */
export class MemoryKv {
  private readonly slots = new Map<string, Slot>();
  private writes = 0;

  constructor(private readonly now: () => number) {}

  private slot(key: string): Slot | undefined {
    const s = this.slots.get(key);
    if (s && s.expiresAt !== null && s.expiresAt <= this.now()) {
      this.slots.delete(key);
      return undefined;
    }
    return s;
  }

  private ensure<T extends Value["type"]>(key: string, type: T): Extract<Value, { type: T }> {
    this.sweepSometimes();
    const s = this.slot(key);
    if (s) return s.value as Extract<Value, { type: T }>;
    const value = (type === "string" ? { type, v: "" } : { type, v: new Map() }) as Extract<
      Value,
      { type: T }
    >;
    this.slots.set(key, { value, expiresAt: null });
    return value;
  }

  /** Expired keys are otherwise only dropped when read; bound memory on a long-running gateway. */
  private sweepSometimes(): void {
    this.writes += 1;
    if (this.writes % 1000 !== 0) return;
    for (const key of [...this.slots.keys()]) this.slot(key);
  }

  get(key: string): string | null {
    const s = this.slot(key);
    return s?.value.type === "string" ? s.value.v : null;
  }

  set(key: string, value: string, pxMs?: number, keepTtl = false): void {
    const old = this.slot(key);
    const expiresAt =
      pxMs !== undefined ? this.now() + pxMs : keepTtl && old ? old.expiresAt : null;
    this.sweepSometimes();
    this.slots.set(key, { value: { type: "string", v: value }, expiresAt });
  }

  incrby(key: string, by: number): number {
    const s = this.ensure(key, "string");
    const next = Number(s.v || "0") + by;
    s.v = String(next);
    return next;
  }

  hgetall(key: string): Record<string, string> {
    const s = this.slot(key);
    return s?.value.type === "hash" ? Object.fromEntries(s.value.v) : {};
  }

  hget(key: string, field: string): string | null {
    const s = this.slot(key);
    return s?.value.type === "hash" ? (s.value.v.get(field) ?? null) : null;
  }

  /** Like HMGET: null for each missing field. */
  hmget(key: string, ...fields: string[]): (string | null)[] {
    const s = this.slot(key);
    const h = s?.value.type === "hash" ? s.value.v : null;
    return fields.map((f) => h?.get(f) ?? null);
  }

  hset(key: string, fields: Record<string, string>): void {
    const h = this.ensure(key, "hash");
    for (const [f, v] of Object.entries(fields)) h.v.set(f, v);
  }

  hdel(key: string, field: string): void {
    const s = this.slot(key);
    if (s?.value.type !== "hash") return;
    s.value.v.delete(field);
    if (s.value.v.size === 0) this.slots.delete(key);
  }

  zadd(key: string, score: number, member: string): void {
    this.ensure(key, "zset").v.set(member, score);
  }

  zrem(key: string, member: string): void {
    const s = this.slot(key);
    if (s?.value.type !== "zset") return;
    s.value.v.delete(member);
    if (s.value.v.size === 0) this.slots.delete(key);
  }

  /** ZREMRANGEBYSCORE key -inf max */
  zremUpTo(key: string, max: number): void {
    const s = this.slot(key);
    if (s?.value.type !== "zset") return;
    for (const [m, score] of s.value.v) if (score <= max) s.value.v.delete(m);
    if (s.value.v.size === 0) this.slots.delete(key);
  }

  zcard(key: string): number {
    const s = this.slot(key);
    return s?.value.type === "zset" ? s.value.v.size : 0;
  }

  /** ZCOUNT key (min +inf */
  zcountAbove(key: string, min: number): number {
    const s = this.slot(key);
    if (s?.value.type !== "zset") return 0;
    let n = 0;
    for (const score of s.value.v.values()) if (score > min) n += 1;
    return n;
  }

  del(...keys: string[]): void {
    for (const k of keys) this.slots.delete(k);
  }

  pexpire(key: string, ms: number): void {
    const s = this.slot(key);
    if (s) s.expiresAt = this.now() + ms;
  }

  /** Like PTTL: -2 missing, -1 no expiry. */
  pttl(key: string): number {
    const s = this.slot(key);
    if (!s) return -2;
    return s.expiresAt === null ? -1 : s.expiresAt - this.now();
  }
}
