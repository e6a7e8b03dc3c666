/**
 * Lua helpers on Redis' own clock (TIME), so that instances with skewed clocks agree, for the scripts
 * that start with them (redis-state-scripts.ts, redis-health-scripts.ts): now_ms(), the server's time in
 * whole milliseconds, and ms(x), a number of milliseconds as the integer string Redis commands take.
 */
export const REDIS_CLOCK_LUA = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function ms(x) return string.format('%.0f', x) end
`;
