import { LUA_HELPERS } from "./common";

/**
 * Picks the first eligible entry of an AcquireSpec and reserves it, atomically across replicas.
 * Mirrors src/memory/acquire.ts line for line; the contract suite holds both to one behaviour.
 * Time comes from the caller (spec.now), never from Redis, so key TTLs are garbage collection only.
 */
export const ACQUIRE_SCRIPT = `${LUA_HELPERS}
local spec = cjson.decode(ARGV[1])
local now = spec.now
local est = spec.est
local EPS = 1e-9
local CD_REASON = { auth_failed = 'auth_failed', circuit_open = 'circuit_open' }

local function capTo(n, cap)
  if cap and cap < n then return cap end
  return n
end

local function sortedKeys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks)
  return ks
end

-- Solves prev * (1 - elapsed / w) + cur + cost <= limit for the time; written as w * a / b so
-- integer inputs give exact answers (w * (1 - a / b) rounds 20000 up to 20000.000000000004).
local function fitAt(m, prev, cur, cost)
  local room = m.limit - cost - cur
  local t
  if room >= 0 then
    t = m.start + math.ceil(m.w * (prev - room) / prev)
  else
    t = m.start + m.w
    if cur > 0 then t = t + math.ceil(math.max(0, m.w * (cur - (m.limit - cost)) / cur)) end
  end
  if t <= now then t = now + 1 end
  return t
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
    local c = hgetall(KEYS[ref.key])
    local u = tonumber(c.untilAt or '0')
    if u > now and u > cdUntil then
      cdUntil = u
      cd = c
      cdScope = ref.scope
    end
  end
  if cd then
    block(CD_REASON[cd.kind] or 'cooldown', cd.kind .. ' (' .. cdScope .. '): ' .. (cd.reason or ''), cdUntil)
  end

  local cb = hgetall(KEYS[e.cb])
  if cb.state == 'open' and not cd then
    local p = redis.call('GET', KEYS[e.probe])
    local pexp = 0
    if p then pexp = tonumber(string.match(p, '|(%d+)$')) or 0 end
    if pexp > now then
      block('circuit_open', 'circuit half-open: probe in flight', pexp)
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
    local live = {}
    for _, name in ipairs(names) do
      local w = cjson.decode(hw[name])
      if w.t > now then live[#live + 1] = { name = name, w = w } end
    end
    if #live > 0 then
      local held = {}
      local res = hgetall(KEYS[e.hwr])
      for id, raw in pairs(res) do
        local r = cjson.decode(raw)
        if r.x > now then held[#held + 1] = r else redis.call('HDEL', KEYS[e.hwr], id) end
      end
      for _, x in ipairs(live) do
        local w = x.w
        local need = 1
        if w.u == 'tokens' then need = capTo(est, w.l) end
        local pending = 0
        for _, r in ipairs(held) do
          if r.a >= (w.a or 0) then
            if w.u == 'tokens' then pending = pending + capTo(r.e, w.l) else pending = pending + 1 end
          end
        end
        if w.r - pending < need then
          block('header_quota', 'header:' .. x.name .. ' (' .. e.hwLabel .. ')', w.t)
        end
      end
    end
  end

  for _, m in ipairs(e.manual) do
    local cur = tonumber(redis.call('GET', KEYS[m.cur]) or '0')
    local prev = tonumber(redis.call('GET', KEYS[m.prev]) or '0')
    local cost = m.cost
    local used = prev * (1 - (now - m.start) / m.w) + cur
    -- EPS: the weighted previous bucket is a float; 3 * (1 - 1/3) must count as 2, not 2.0000000000000004.
    if used + cost > m.limit + EPS then block('manual_limit', m.label, fitAt(m, prev, cur, cost)) end
  end

  for _, q in ipairs(e.conc) do
    redis.call('ZREMRANGEBYSCORE', KEYS[q.key], '-inf', int(now))
    if q.limit > 0 and redis.call('ZCARD', KEYS[q.key]) >= q.limit then
      block('concurrency', q.label, false)
    end
  end
  return st
end

local function reserve(e, st)
  for _, m in ipairs(e.manual) do
    local cost = m.cost
    if cost > 0 then
      redis.call('INCRBY', KEYS[m.cur], int(cost))
      redis.call('PEXPIRE', KEYS[m.cur], int(2 * m.w))
    end
  end
  if st.hwKnown then
    redis.call('HSET', KEYS[e.hwr], spec.lease, cjson.encode({ a = now, e = est, x = now + spec.ttl }))
    if redis.call('PTTL', KEYS[e.hwr]) < spec.ttl then redis.call('PEXPIRE', KEYS[e.hwr], int(spec.ttl)) end
  end
  for _, q in ipairs(e.conc) do
    redis.call('ZADD', KEYS[q.key], int(now + spec.ttl), spec.lease)
    if redis.call('PTTL', KEYS[q.key]) < spec.ttl then
      redis.call('PEXPIRE', KEYS[q.key], int(spec.ttl))
    end
  end
  if st.probe then
    redis.call('SET', KEYS[e.probe], spec.lease .. '|' .. int(now + spec.ttl), 'PX', int(spec.ttl))
  end
end

local skipped = {}
for i, e in ipairs(spec.entries) do
  local st = check(e)
  if not st.reason then
    reserve(e, st)
    return cjson.encode({ index = i - 1, skipped = skipped })
  end
  local s = { index = i - 1, reason = st.reason, detail = st.detail }
  if st.untilAt then s['until'] = st.untilAt end
  skipped[#skipped + 1] = s
end
return cjson.encode({ index = -1, skipped = skipped })
`;
