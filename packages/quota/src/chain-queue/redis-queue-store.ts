import type { RedisClient } from "@429chain/redis";
import { DEFAULT_KEY_PREFIX, queueChannel, queueKeys } from "../keys";
import type { JoinResult, QueueMessage, QueueStore } from "./types";
import { joinedAt } from "./types";

/** A ticket whose replica stopped renewing it (crashed) is dropped after this long. */
export const TICKET_TTL_MS = 30_000;

// One script, one op per call: dead tickets are purged first; any change of the queue, and
// any wake-up, is published (PUBLISH reaches every node's subscribers on a cluster).
const QUEUE_SCRIPT = `
local fifo, alive, seq = KEYS[1], KEYS[2], KEYS[3]
local op, now, channel, queue = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local function head() return redis.call('ZRANGE', fifo, 0, 0)[1] end
local before = head()
local dead = redis.call('ZRANGEBYSCORE', alive, '-inf', now)
for _, t in ipairs(dead) do redis.call('ZREM', fifo, t) end
if #dead > 0 then redis.call('ZREMRANGEBYSCORE', alive, '-inf', now) end
local changed = #dead > 0
local result = 0
local run = {}
if op == 'join' then
  local n = redis.call('ZCARD', fifo)
  if n >= tonumber(ARGV[6]) then
    result = {-1, n}
  else
    local number = redis.call('INCR', seq)
    redis.call('ZADD', fifo, number, ARGV[5])
    redis.call('ZADD', alive, ARGV[7], ARGV[5])
    result = {n, n + 1, number}
    changed = true
  end
elseif op == 'leave' then
  if redis.call('ZREM', fifo, ARGV[5]) == 1 then changed = true end
  redis.call('ZREM', alive, ARGV[5])
elseif op == 'rank' then
  redis.call('ZADD', alive, 'XX', ARGV[6], ARGV[5])
  local r = redis.call('ZRANK', fifo, ARGV[5])
  result = r and r or -1
elseif op == 'wake_after' then
  local r = redis.call('ZRANK', fifo, ARGV[5])
  if r then run = redis.call('ZRANGE', fifo, r + 1, r + 1) end
elseif op == 'wake_head' then
  run = redis.call('ZRANGE', fifo, 0, 0)
elseif op == 'touch' then
  for i = 6, #ARGV do redis.call('ZADD', alive, 'XX', ARGV[5], ARGV[i]) end
elseif op == 'stats' then
  result = {redis.call('ZCARD', fifo), before or ''}
end
local after = head()
local depth = redis.call('ZCARD', fifo)
if changed or #run > 0 then
  local message = {q = queue, d = depth, r = run}
  if after and after ~= before then message.h = after end
  redis.call('PUBLISH', channel, cjson.encode(message))
end
return result
`;

const COMMAND = "queueOp";

type QueueCommand = (
  fifo: string,
  alive: string,
  seq: string,
  ...args: Array<string | number>
) => Promise<unknown>;

/**
 * Every replica's waiters in one FIFO per queue. `redis` runs the scripts; `subscriber` is a
 * connection of its own (a subscribed connection runs nothing else) that hears every change.
 */
export function createRedisQueueStore(opts: {
  redis: RedisClient;
  subscriber: RedisClient;
  prefix?: string;
  onError?: (err: unknown) => void;
}): QueueStore {
  const { redis, subscriber } = opts;
  const prefix = opts.prefix ?? DEFAULT_KEY_PREFIX;
  const channel = queueChannel(prefix);
  redis.defineCommand(COMMAND, { numberOfKeys: 3, lua: QUEUE_SCRIPT });
  const command = (redis as unknown as Record<string, QueueCommand>)[COMMAND] as QueueCommand;
  const op = (queue: string, name: string, ...args: Array<string | number>) => {
    const keys = queueKeys(prefix, queue);
    return command.call(
      redis,
      keys.fifo,
      keys.alive,
      keys.seq,
      name,
      Date.now(),
      channel,
      queue,
      ...args,
    );
  };
  const expiry = () => Date.now() + TICKET_TTL_MS;
  const listeners: Array<(m: QueueMessage) => void> = [];
  subscriber.on("message", (from: string, text: string) => {
    if (from !== channel) return;
    const message = parseMessage(text);
    if (message) for (const listener of listeners) listener(message);
  });
  // Subscribed once the command connection is up: a second connection racing it at start
  // delayed the one every request needs.
  const subscribe = () => {
    subscriber.subscribe(channel).catch((err: unknown) => opts.onError?.(err));
  };
  if (redis.status === "ready") subscribe();
  else redis.once("ready", subscribe);

  return {
    async join(queue, ticket, max): Promise<JoinResult> {
      const [rank, depth, number] = (await op(queue, "join", ticket, max, expiry())) as number[];
      if (rank === undefined || depth === undefined || rank < 0)
        return { ok: false, depth: depth ?? 0 };
      return { ok: true, rank, depth, number: number ?? 0 };
    },
    async leave(queue, ticket) {
      await op(queue, "leave", ticket);
    },
    async rank(queue, ticket) {
      const rank = (await op(queue, "rank", ticket, expiry())) as number;
      return rank < 0 ? null : rank;
    },
    async wakeAfter(queue, ticket) {
      await op(queue, "wake_after", ticket);
    },
    async wakeHead(queue) {
      await op(queue, "wake_head");
    },
    async touch(queue, tickets) {
      if (tickets.length > 0) await op(queue, "touch", expiry(), ...tickets);
    },
    async stats(queue) {
      const [depth, head] = (await op(queue, "stats")) as [number, string];
      return { depth, oldestAt: head === "" ? null : joinedAt(head) };
    },
    subscribe(listener) {
      listeners.push(listener);
    },
    // The subscriber is the caller's to disconnect (an UNSUBSCRIBE would wait out an outage).
    async close() {
      listeners.length = 0;
    },
  };
}

function parseMessage(text: string): QueueMessage | undefined {
  try {
    const m = JSON.parse(text) as { q?: unknown; d?: unknown; r?: unknown; h?: unknown };
    if (typeof m.q !== "string" || typeof m.d !== "number") return undefined;
    // cjson encodes an empty table as an object.
    const run = Array.isArray(m.r) ? m.r.filter((t): t is string => typeof t === "string") : [];
    return { queue: m.q, depth: m.d, run, head: typeof m.h === "string" ? m.h : null };
  } catch {
    return undefined;
  }
}
