import { luaRulesFor } from "../rules/compile";
import { LUA_HELPERS } from "./common";

/**
 * Picks the first eligible entry of an AcquireSpec and reserves it, atomically across replicas.
 * Every formula and test it applies is a rule of rules/table.ts, prepended as generated Lua;
 * the in-process twin (src/memory/acquire.ts) calls the same rules compiled to JavaScript, so
 * this script and the twin only read and write keys in the same order. The contract suite
 * holds both to one behaviour.
 * Time comes from the caller (spec.now), never from Redis, so key TTLs are garbage collection only.
 */
const BODY = `
local spec = cjson.decode(ARGV[1])
local now = spec.now
local est = spec.est

local function sortedKeys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks)
  return ks
end

local function check(e)
  local st = { reason = false, detail = false, untilAt = false, probe = false, hwKnown = false }
  local function block(reason, detail, untilAt)
    if not st.reason then
      st.reason = reason
      st.detail = detail
    end
    if untilAt and ((not st.untilAt) or untilAt > st.untilAt) then st.untilAt = untilAt end
  end

  local cdUntil, cd, cdScope = 0, false, ''
  for _, ref in ipairs(e.cd) do
    -- untilAt, kind, reason: the fields a cooldown hash holds (settle's setCooldown).
    local c = redis.call('HMGET', KEYS[ref.key], 'untilAt', 'kind', 'reason')
    local u = tonumber(c[1] or '0')
    if laterLive(u, cdUntil, now) then
      cdUntil = u
      cd = c
      cdScope = ref.scope
    end
  end
  if cd then
    local kind = cd[2] or ''
    block(CD_REASON[kind] or SKIP.cooldown, kind .. ' (' .. cdScope .. '): ' .. (cd[3] or ''), cdUntil)
  end

  -- Read only without a cooldown: with one, the breaker cannot change the answer.
  if not cd and redis.call('HGET', KEYS[e.cb], 'state') == 'open' then
    local p = redis.call('GET', KEYS[e.probe])
    local pexp = 0
    if p then pexp = tonumber(string.match(p, '|(%d+)$')) or 0 end
    if live(pexp, now) then
      block(SKIP.circuit_open, 'circuit half-open: probe in flight', pexp)
    else
      st.probe = true
    end
  end

  -- Header windows: the upstream's last report, less what leases sent after it still hold.
  -- A scope that ever reported windows keeps its hash (expired windows included): requests
  -- are recorded against it even between a reset and the next report.
  local hw = hgetall(KEYS[e.hw])
  local names = sortedKeys(hw)
  if #names > 0 then
    st.hwKnown = true
    local shown = {}
    for _, name in ipairs(names) do
      local w = cjson.decode(hw[name])
      if live(w.t, now) then shown[#shown + 1] = { name = name, w = w } end
    end
    if #shown > 0 then
      local held = {}
      local res = hgetall(KEYS[e.hwr])
      for id, raw in pairs(res) do
        local r = cjson.decode(raw)
        if live(r.x, now) then held[#held + 1] = r else redis.call('HDEL', KEYS[e.hwr], id) end
      end
      for _, x in ipairs(shown) do
        local w = x.w
        local pending = 0
        for _, r in ipairs(held) do
          if countsAgainst(r.a, w.a) then pending = pending + holds(w.u, r.e, w.l) end
        end
        if headerShort(w.r, pending, holds(w.u, est, w.l)) then
          block(SKIP.header_quota, { window = x.name }, w.t)
        end
      end
    end
  end

  for mi, m in ipairs(e.manual) do
    local cur = tonumber(redis.call('GET', KEYS[m.cur]) or '0')
    local prev = tonumber(redis.call('GET', KEYS[m.prev]) or '0')
    if overLimit(slidingUsed(prev, cur, now, m.start, m.w), m.cost, m.limit) then
      block(SKIP.manual_limit, { check = mi - 1 }, fitAt(m.limit, m.cost, prev, cur, m.start, m.w, now))
    end
  end

  for qi, q in ipairs(e.conc) do
    redis.call('ZREMRANGEBYSCORE', KEYS[q.key], '-inf', int(now))
    if concurrencyLimited(q.limit) and atConcurrency(redis.call('ZCARD', KEYS[q.key]), q.limit) then
      block(SKIP.concurrency, { check = qi - 1 }, false)
    end
  end
  return st
end

local function reserve(e, st)
  for _, m in ipairs(e.manual) do
    local cost = m.cost
    if cost > 0 then
      redis.call('INCRBY', KEYS[m.cur], int(cost))
      redis.call('PEXPIRE', KEYS[m.cur], int(manualBucketTtl(m.w)))
    end
  end
  local expiry = after(now, spec.ttl)
  if st.hwKnown then
    redis.call('HSET', KEYS[e.hwr], spec.lease, cjson.encode({ a = now, e = est, x = expiry }))
    if redis.call('PTTL', KEYS[e.hwr]) < spec.ttl then redis.call('PEXPIRE', KEYS[e.hwr], int(spec.ttl)) end
  end
  for _, q in ipairs(e.conc) do
    redis.call('ZADD', KEYS[q.key], int(expiry), spec.lease)
    if redis.call('PTTL', KEYS[q.key]) < spec.ttl then
      redis.call('PEXPIRE', KEYS[q.key], int(spec.ttl))
    end
  end
  if st.probe then
    redis.call('SET', KEYS[e.probe], spec.lease .. '|' .. int(expiry), 'PX', int(spec.ttl))
  end
end

local skipped = {}
for i, e in ipairs(spec.entries) do
  local st = check(e)
  if not st.reason then
    reserve(e, st)
    return cjson.encode({ index = i - 1, skipped = skipped, probe = st.probe, hwr = st.hwKnown })
  end
  -- detail: a string, or which check skipped it (plan.ts SkipRef) when its label is constant.
  local s = { index = i - 1, reason = st.reason }
  if type(st.detail) == 'table' then
    s.check = st.detail.check
    s.window = st.detail.window
  else
    s.detail = st.detail
  end
  if st.untilAt then s['until'] = st.untilAt end
  skipped[#skipped + 1] = s
end
return cjson.encode({ index = -1, skipped = skipped })
`;

export const ACQUIRE_SCRIPT = `${LUA_HELPERS}${luaRulesFor(BODY)}${BODY}`;
