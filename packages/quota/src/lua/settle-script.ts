import { luaRulesFor } from "../rules/compile";
import { LUA_HELPERS } from "./common";

/**
 * Releases a lease and applies its outcome (SettleSpec). Every formula and test it applies is a
 * rule of rules/table.ts, prepended as generated Lua; the in-process twin (src/memory/settle.ts)
 * calls the same rules compiled to JavaScript and reads and writes the same keys in the same
 * order. Returns the latest active cooldown of the entry (either scope), 0 for none.
 */
const BODY = `
local spec = cjson.decode(ARGV[1])
local now = spec.now
local o = spec.outcome
-- Sent only with the outcomes whose branch reads it (plan.ts POLICY_OUTCOMES).
local p = spec.policy

local function setCooldown(key, untilAt, kind, reason)
  if not live(untilAt, now) then return end
  local cur = tonumber(redis.call('HGET', key, 'untilAt') or '0')
  if not extendsCooldown(cur, untilAt, now) then return end
  redis.call('HSET', key, 'untilAt', int(untilAt), 'kind', kind, 'reason', reason or '')
  redis.call('PEXPIRE', key, int(ttlTo(untilAt, now)))
end

for _, k in ipairs(spec.inf) do redis.call('ZREM', KEYS[k], spec.lease) end
-- What acquire stored under the lease's id: only looked for where it may be (Lease.holds).
if spec.holds.probe then
  local probe = redis.call('GET', KEYS[spec.probe])
  if probe and string.sub(probe, 1, #spec.lease + 1) == spec.lease .. '|' then
    redis.call('DEL', KEYS[spec.probe])
  end
end

for _, t in ipairs(spec.adjust) do
  if live(t.exp, now) then
    if redis.call('INCRBY', KEYS[t.key], int(t.delta)) < 0 then
      redis.call('SET', KEYS[t.key], '0', 'KEEPTTL')
    end
    if redis.call('PTTL', KEYS[t.key]) < 0 then redis.call('PEXPIRE', KEYS[t.key], int(ttlTo(t.exp, now))) end
  end
end

-- Header windows. A report from this response replaces the stored one when it is as fresh
-- (this attempt started no earlier than the one that reported it) or describes a later
-- window; a window it does not freshly report is charged what this attempt used, if the
-- stored report cannot have counted it (it started after that report's attempt).
if spec.holds.hwr then redis.call('HDEL', KEYS[spec.hwr], spec.lease) end
local hwKey = KEYS[spec.hw]
local reported = {}
local touched = false
local shown = {}
for _, w in ipairs(spec.windows) do
  if live(w.t, now) then shown[#shown + 1] = w end
end
if #shown > 0 then
  -- One read for every reported window and one write for the fresh ones; a name reported
  -- twice sees its first write, as it would reading and writing one at a time.
  local names = {}
  for i, w in ipairs(shown) do names[i] = w.n end
  local olds = redis.call('HMGET', hwKey, unpack(names))
  local written = {}
  local writes = {}
  for i, w in ipairs(shown) do
    local raw = written[w.n] or olds[i]
    local fresh = true
    if raw then
      local old = cjson.decode(raw)
      if keepsStoredReport(old.t, old.a, spec.acquiredAt, w.t, now) then fresh = false end
    end
    if fresh then
      local enc = cjson.encode({ u = w.u, l = w.l, r = w.r, t = w.t, a = spec.acquiredAt })
      written[w.n] = enc
      writes[#writes + 1] = w.n
      writes[#writes + 1] = enc
      reported[w.n] = true
      touched = true
    end
  end
  if #writes > 0 then redis.call('HSET', hwKey, unpack(writes)) end
end
local used = spec.consumed
-- The latest reset of the stored windows, when this settle already read them all.
local maxT = false
if used.requests > 0 then
  local all = redis.call('HGETALL', hwKey)
  local writes = {}
  maxT = now
  for i = 1, #all, 2 do
    local name = all[i]
    local w = cjson.decode(all[i + 1])
    -- Charging changes what is left of a window, never when it resets.
    if w.t > maxT then maxT = w.t end
    if not reported[name] and live(w.t, now) and countsAgainst(spec.acquiredAt, w.a) then
      w.r = remainingAfter(w.r, chargeOf(w.u, used.requests, used.tokens))
      writes[#writes + 1] = name
      writes[#writes + 1] = cjson.encode(w)
    end
  end
  if #writes > 0 then redis.call('HSET', hwKey, unpack(writes)) end
end
if used.requests > 0 then
  -- Recent use, decayed exponentially (rules burnDecay and burnAdd, as in ledger/burn-rate.ts).
  for _, bk in ipairs(spec.burn.keys) do
    local h = redis.call('HMGET', KEYS[bk], 'r', 't', 'at', 's', 'tau')
    -- A sum keeps decaying with the window it was written with, until it is written again.
    local f = burnDecay(now, tonumber(h[3]) or now, tonumber(h[5]) or spec.burn.tau)
    local r = burnAdd(tonumber(h[1]) or 0, f, used.requests)
    local t = burnAdd(tonumber(h[2]) or 0, f, used.tokens)
    local since = h[3] and (tonumber(h[4]) or 0) or now
    redis.call('HSET', KEYS[bk], 'r', tostring(r), 't', tostring(t), 'at', int(now),
      's', int(since), 'tau', int(spec.burn.tau))
    redis.call('PEXPIRE', KEYS[bk], int(spec.burn.ttl))
  end
end
if touched then
  if not maxT then
    maxT = now
    local all = redis.call('HGETALL', hwKey)
    for i = 2, #all, 2 do
      local t = cjson.decode(all[i]).t
      if t > maxT then maxT = t end
    end
  end
  -- Kept past the last reset: the scope is known to report windows (see acquire).
  redis.call('PEXPIRE', hwKey, int(headerKeepMs(maxT, now)))
end

local kind = o.kind
if kind == OUTCOME.ok then
  for _, scope in ipairs({ 'provider', 'entry' }) do
    local k = KEYS[spec.streak[scope]]
    local at = tonumber(redis.call('HGET', k, 'at') or '-1')
    if streakEndsOnOk(at, spec.acquiredAt) then redis.call('DEL', k) end
  end
  local cb = redis.call('HMGET', KEYS[spec.cb], 'state', 'openedAt', 'fails', 'msf')
  if cb[1] == 'open' then
    if circuitCloses(spec.acquiredAt, tonumber(cb[2])) then redis.call('DEL', KEYS[spec.cb]) end
  elseif cb[3] or cb[4] then
    redis.call('HSET', KEYS[spec.cb], 'fails', '0', 'msf', '0')
  end
elseif kind == OUTCOME.rate_limited then
  local k = KEYS[spec.streak[o.scope]]
  local s = hgetall(k)
  local n = tonumber(s.n or '0')
  local at = tonumber(s.at or '-1')
  if not live(tonumber(s.exp or '0'), now) then
    n = 0
    at = -1
  end
  if escalates(spec.acquiredAt, at) then
    n = n + 1
    at = now
  end
  if n < 1 then n = 1 end
  local base = rateLimitBase(o.retryAt, now, p.rateLimitBaseMs, p.rateLimitMinMs)
  local dur = rateLimitBackoff(base, n, p.rateLimitMaxMs)
  local exp = escalationExpiry(now, dur, p.rateLimitMaxMs)
  redis.call('HSET', k, 'n', int(n), 'at', int(at), 'exp', int(exp))
  redis.call('PEXPIRE', k, int(ttlTo(exp, now)))
  setCooldown(KEYS[spec.cd[o.scope]], after(now, dur), KIND.rate_limited, o.reason)
elseif kind == OUTCOME.quota_exhausted then
  local untilAt = quotaExhaustedUntil(o.retryAt, now, p.creditMs, p.rateLimitMinMs)
  setCooldown(KEYS[spec.cd[o.scope]], untilAt, KIND.quota_exhausted, o.reason)
elseif kind == OUTCOME.auth_failed then
  setCooldown(KEYS[spec.cd[o.scope]], after(now, p.authFailedMs), KIND.auth_failed, o.reason)
elseif kind == OUTCOME.failure and o.mid then
  local k = KEYS[spec.cb]
  local cb = hgetall(k)
  local msf = tonumber(cb.msf or '0') + 1
  local trips = tonumber(cb.trips or '0')
  if not live(tonumber(cb.tripsExp or '0'), now) then trips = 0 end
  if midStreamTrips(msf, p.midStreamThreshold) then
    local dur = midStreamDuration(trips, p.midStreamBaseMs, p.midStreamMaxMs)
    msf = 0
    redis.call('HSET', k, 'trips', int(trips + 1), 'tripsExp', int(escalationExpiry(now, dur, p.midStreamMaxMs)))
    setCooldown(KEYS[spec.cd.entry], after(now, dur), KIND.mid_stream, o.reason)
  end
  redis.call('HSET', k, 'msf', int(msf))
  redis.call('PEXPIRE', k, int(p.gcMs))
elseif kind == OUTCOME.failure then
  local k = KEYS[spec.cb]
  local cb = hgetall(k)
  local open = cb.state == 'open'
  if failureCounts(open, spec.acquiredAt, tonumber(cb.openedAt)) then
    local fails = tonumber(cb.fails or '0') + 1
    if circuitOpens(open, fails, p.circuitThreshold) then
      local opens = tonumber(cb.opens or '0') + 1
      local dur = circuitDuration(opens, p.circuitBaseMs, p.circuitMaxMs)
      redis.call('HSET', k, 'state', 'open', 'openedAt', int(now), 'opens', int(opens))
      redis.call('DEL', KEYS[spec.probe])
      setCooldown(KEYS[spec.cd.entry], after(now, dur), KIND.circuit_open, o.reason)
    end
    redis.call('HSET', k, 'fails', int(fails))
    redis.call('PEXPIRE', k, int(p.gcMs))
  end
end

local best = 0
for _, scope in ipairs({ 'provider', 'entry' }) do
  local u = tonumber(redis.call('HGET', KEYS[spec.cd[scope]], 'untilAt') or '0')
  if laterLive(u, best, now) then best = u end
end
return best
`;

export const SETTLE_SCRIPT = `${LUA_HELPERS}${luaRulesFor(BODY)}${BODY}`;
