/** Helpers shared by every script; prepended so each script stays self-contained for EVALSHA. */
export const LUA_HELPERS = `
local function hgetall(key)
  local flat = redis.call('HGETALL', key)
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
  return t
end
local function int(n)
  return string.format('%d', n)
end
`;
