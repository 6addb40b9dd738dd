import { LUA_HELPERS } from "./common";

/**
 * Releases a lease and applies its outcome (SettleSpec). Mirrors src/memory/settle.ts line for
 * line. Returns the latest active cooldown of the entry (either scope), 0 for none.
 */
export const SETTLE_SCRIPT = `${LUA_HELPERS}
local spec = cjson.decode(ARGV[1])
local now = spec.now
local o = spec.outcome
local p = spec.policy

local function setCooldown(key, untilAt, kind, reason)
  if untilAt <= now then return end
  local cur = tonumber(redis.call('HGET', key, 'untilAt') or '0')
  if cur > now and cur >= untilAt then return end
  redis.call('HSET', key, 'untilAt', int(untilAt), 'kind', kind, 'reason', reason)
  redis.call('PEXPIRE', key, int(untilAt - now))
end

for _, k in ipairs(spec.inf) do redis.call('ZREM', KEYS[k], spec.lease) end
local probe = redis.call('GET', KEYS[spec.probe])
if probe and string.sub(probe, 1, #spec.lease + 1) == spec.lease .. '|' then
  redis.call('DEL', KEYS[spec.probe])
end

for _, t in ipairs(spec.adjust) do
  if t.exp > now then
    if redis.call('INCRBY', KEYS[t.key], int(t.delta)) < 0 then
      redis.call('SET', KEYS[t.key], '0', 'KEEPTTL')
    end
    if redis.call('PTTL', KEYS[t.key]) < 0 then redis.call('PEXPIRE', KEYS[t.key], int(t.exp - now)) end
  end
end

-- Header windows. A report from this response replaces the stored one when it is as fresh
-- (this attempt started no earlier than the one that reported it) or describes a later
-- window; a window it does not freshly report is charged what this attempt used, if the
-- stored report cannot have counted it (it started after that report's attempt).
redis.call('HDEL', KEYS[spec.hwr], spec.lease)
local hwKey = KEYS[spec.hw]
local reported = {}
local touched = false
for _, w in ipairs(spec.windows) do
  if w.t > now then
    local raw = redis.call('HGET', hwKey, w.n)
    local fresh = true
    if raw then
      local old = cjson.decode(raw)
      if old.t > now and spec.acquiredAt < (old.a or 0) and w.t <= old.t + 1000 then fresh = false end
    end
    if fresh then
      redis.call('HSET', hwKey, w.n, cjson.encode({ u = w.u, l = w.l, r = w.r, t = w.t, a = spec.acquiredAt }))
      reported[w.n] = true
      touched = true
    end
  end
end
local used = spec.consumed
if used.requests > 0 then
  local all = redis.call('HGETALL', hwKey)
  for i = 1, #all, 2 do
    local name = all[i]
    if not reported[name] then
      local w = cjson.decode(all[i + 1])
      if w.t > now and spec.acquiredAt >= (w.a or 0) then
        local charge = used.requests
        if w.u == 'tokens' then charge = used.tokens end
        w.r = math.max(0, w.r - charge)
        redis.call('HSET', hwKey, name, cjson.encode(w))
      end
    end
  end
end
if used.requests > 0 then
  -- Recent use, decayed exponentially (ledger/burn-rate.ts has the same formula).
  for _, bk in ipairs(spec.burn.keys) do
    local h = redis.call('HMGET', KEYS[bk], 'r', 't', 'at', 's', 'tau')
    -- A sum keeps decaying with the window it was written with, until it is written again.
    local f = math.exp(-math.max(0, now - (tonumber(h[3]) or now)) / (tonumber(h[5]) or spec.burn.tau))
    local r = (tonumber(h[1]) or 0) * f + used.requests
    local t = (tonumber(h[2]) or 0) * f + used.tokens
    local since = h[3] and (tonumber(h[4]) or 0) or now
    redis.call('HSET', KEYS[bk], 'r', tostring(r), 't', tostring(t), 'at', int(now),
      's', int(since), 'tau', int(spec.burn.tau))
    redis.call('PEXPIRE', KEYS[bk], int(spec.burn.ttl))
  end
end
if touched then
  local maxT = now
  local all = redis.call('HGETALL', hwKey)
  for i = 2, #all, 2 do
    local t = cjson.decode(all[i]).t
    if t > maxT then maxT = t end
  end
  -- Kept a day past the last reset: the scope is known to report windows (see acquire).
  redis.call('PEXPIRE', hwKey, int(maxT - now + 86400000))
end

local kind = o.kind
if kind == 'ok' then
  for _, scope in ipairs({ 'provider', 'entry' }) do
    local k = KEYS[spec.streak[scope]]
    local at = tonumber(redis.call('HGET', k, 'at') or '-1')
    if at >= 0 and spec.acquiredAt > at then redis.call('DEL', k) end
  end
  local cb = hgetall(KEYS[spec.cb])
  if cb.state == 'open' then
    if spec.acquiredAt > tonumber(cb.openedAt) then redis.call('DEL', KEYS[spec.cb]) end
  elseif cb.fails or cb.msf then
    redis.call('HSET', KEYS[spec.cb], 'fails', '0', 'msf', '0')
  end
elseif kind == 'rate_limited' then
  local k = KEYS[spec.streak[o.scope]]
  local s = hgetall(k)
  local n = tonumber(s.n or '0')
  local at = tonumber(s.at or '-1')
  if tonumber(s.exp or '0') <= now then
    n = 0
    at = -1
  end
  -- Only an attempt that started after the last cooldown began escalates the backoff: 429s
  -- of attempts that were in flight together are one event, not consecutive ones.
  if spec.acquiredAt > at then
    n = n + 1
    at = now
  end
  if n < 1 then n = 1 end
  local base = p.rateLimitBaseMs
  if o.retryAt then base = o.retryAt - now end
  base = math.max(base, p.rateLimitMinMs)
  local dur = math.max(base, math.min(base * 2 ^ (n - 1), p.rateLimitMaxMs))
  local exp = now + dur + p.rateLimitMaxMs
  redis.call('HSET', k, 'n', int(n), 'at', int(at), 'exp', int(exp))
  redis.call('PEXPIRE', k, int(math.max(1, exp - now)))
  setCooldown(KEYS[spec.cd[o.scope]], now + dur, 'rate_limited', o.reason)
elseif kind == 'quota_exhausted' then
  local untilAt = now + p.creditMs
  if o.retryAt then untilAt = math.max(o.retryAt, now + p.rateLimitMinMs) end
  setCooldown(KEYS[spec.cd[o.scope]], untilAt, 'quota_exhausted', o.reason)
elseif kind == 'auth_failed' then
  setCooldown(KEYS[spec.cd[o.scope]], now + p.authFailedMs, 'auth_failed', o.reason)
elseif kind == 'failure' and o.mid then
  local k = KEYS[spec.cb]
  local cb = hgetall(k)
  local msf = tonumber(cb.msf or '0') + 1
  local trips = tonumber(cb.trips or '0')
  if tonumber(cb.tripsExp or '0') <= now then trips = 0 end
  if msf >= p.midStreamThreshold then
    local dur = math.min(p.midStreamBaseMs * 2 ^ trips, p.midStreamMaxMs)
    msf = 0
    redis.call('HSET', k, 'trips', int(trips + 1), 'tripsExp', int(now + dur + p.midStreamMaxMs))
    setCooldown(KEYS[spec.cd.entry], now + dur, 'mid_stream', o.reason)
  end
  redis.call('HSET', k, 'msf', int(msf))
  redis.call('PEXPIRE', k, int(spec.gcMs))
elseif kind == 'failure' then
  local k = KEYS[spec.cb]
  local cb = hgetall(k)
  local open = cb.state == 'open'
  -- A failure of a lease taken before the circuit opened says nothing about the probe.
  if not (open and spec.acquiredAt <= tonumber(cb.openedAt)) then
    local fails = tonumber(cb.fails or '0') + 1
    if open or fails >= p.circuitThreshold then
      local opens = tonumber(cb.opens or '0') + 1
      local dur = math.min(p.circuitBaseMs * 2 ^ (opens - 1), p.circuitMaxMs)
      redis.call('HSET', k, 'state', 'open', 'openedAt', int(now), 'opens', int(opens))
      redis.call('DEL', KEYS[spec.probe])
      setCooldown(KEYS[spec.cd.entry], now + dur, 'circuit_open', o.reason)
    end
    redis.call('HSET', k, 'fails', int(fails))
    redis.call('PEXPIRE', k, int(spec.gcMs))
  end
end

local best = 0
for _, scope in ipairs({ 'provider', 'entry' }) do
  local u = tonumber(redis.call('HGET', KEYS[spec.cd[scope]], 'untilAt') or '0')
  if u > now and u > best then best = u end
end
return best
`;
