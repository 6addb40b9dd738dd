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

for _, t in ipairs(spec.tokens) do
  if t.exp > now then
    if redis.call('INCRBY', KEYS[t.key], int(t.delta)) < 0 then
      redis.call('SET', KEYS[t.key], '0', 'KEEPTTL')
    end
    if redis.call('PTTL', KEYS[t.key]) < 0 then redis.call('PEXPIRE', KEYS[t.key], int(t.exp - now)) end
  end
end

local hwKey = KEYS[spec.hw]
local touched = false
for _, w in ipairs(spec.windows) do
  if w.t > now then
    local raw = redis.call('HGET', hwKey, w.n)
    local nw = { u = w.u, l = w.l, r = w.r, t = w.t }
    if raw then
      local old = cjson.decode(raw)
      if old.t > now and w.t <= old.t + 1000 then
        nw = { u = w.u, l = w.l or old.l, r = math.min(old.r, w.r), t = math.max(old.t, w.t) }
      end
    end
    redis.call('HSET', hwKey, w.n, cjson.encode(nw))
    touched = true
  end
end
if touched then
  local maxT = now
  local all = redis.call('HGETALL', hwKey)
  for i = 2, #all, 2 do
    local t = cjson.decode(all[i]).t
    if t > maxT then maxT = t end
  end
  redis.call('PEXPIRE', hwKey, int(maxT - now + 1000))
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
  if tonumber(s.exp or '0') <= now then n = 0 end
  n = n + 1
  local base = p.rateLimitBaseMs
  if o.retryAt then base = math.max(0, o.retryAt - now) end
  local dur = math.max(base, math.min(base * 2 ^ (n - 1), p.rateLimitMaxMs))
  local exp = now + dur + p.rateLimitMaxMs
  redis.call('HSET', k, 'n', int(n), 'at', int(now), 'exp', int(exp))
  redis.call('PEXPIRE', k, int(math.max(1, exp - now)))
  setCooldown(KEYS[spec.cd[o.scope]], now + dur, 'rate_limited', o.reason)
elseif kind == 'quota_exhausted' then
  setCooldown(KEYS[spec.cd[o.scope]], o.retryAt or (now + p.creditMs), 'quota_exhausted', o.reason)
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
