import { REDIS_CLOCK_LUA } from "./redis-clock-lua.js";

/**
 * The Lua scripts of the shared health (create-redis-health-share.ts). Per deployment, under the
 * key prefix:
 * - `health:state:<id>`, a hash whose `until` is the end of its cooldown on Redis' clock (TIME). It
 *   outlives the cooldown (by `linger`), so that past `until` the deployment is known to be half-open;
 *   a successful probe deletes it.
 * - `health:failures:<id>`, a sorted set of the failures counted toward a cooldown, scored by when
 *   they reached Redis; only those within the cooldown's window count. A success anywhere empties it.
 * - `health:probe:<id>`, the half-open probe's claim: SET NX PX, so one instance of the cluster holds it.
 * Every change of cooldown is published on `health:changes` as JSON: {d: id, s: "cooling", ms: remaining}
 * or {d: id, s: "healthy"}. A remaining time rather than a deadline, so instances' clocks need not agree.
 */

const CLOCK_LUA = `${REDIS_CLOCK_LUA}local function until_of(state)
  local u = redis.call('HGET', state, 'until')
  if u then return tonumber(u) end
  return nil
end
`;

/**
 * What one instance learnt since its last report. KEYS: state, failures, probe of each deployment.
 * ARGV: channel, window ms, failures that start a cooldown, cooldown ms, linger ms, batch id; then
 * per deployment: id, cooled ms (0: none), recovered (1/0), reset (1/0: a success since the event),
 * failures since. A cooldown (reported, or reached by the cluster's count) or a recovery is published.
 */
const REPORT_HEALTH = `${CLOCK_LUA}
local now = now_ms()
local channel, window, threshold, duration, linger, batch = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local function cool(state, failures, probe, id, length)
  local u = math.max(until_of(state) or 0, now + length)
  redis.call('HSET', state, 'until', ms(u))
  redis.call('PEXPIRE', state, ms(u - now + linger))
  redis.call('DEL', failures, probe)
  redis.call('PUBLISH', channel, cjson.encode({d = id, s = 'cooling', ms = u - now}))
end
for i = 1, #KEYS / 3 do
  local state, failures, probe = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  local base = 6 + 5 * (i - 1)
  local id, cooled, recovered, reset, count = ARGV[base + 1], tonumber(ARGV[base + 2]), ARGV[base + 3] == '1', ARGV[base + 4] == '1', tonumber(ARGV[base + 5])
  if cooled > 0 then
    cool(state, failures, probe, id, cooled)
  else
    if recovered then
      local u = until_of(state)
      if u and u > now then
        -- Cooled again elsewhere since this probe was sent: that cooldown stands.
        redis.call('PUBLISH', channel, cjson.encode({d = id, s = 'cooling', ms = u - now}))
        count = 0
      else
        redis.call('DEL', state, failures, probe)
        redis.call('PUBLISH', channel, cjson.encode({d = id, s = 'healthy'}))
      end
    end
    if reset then redis.call('DEL', failures) end
    if count > 0 then
      for k = 1, count do redis.call('ZADD', failures, ms(now), batch .. ':' .. i .. ':' .. k) end
      redis.call('ZREMRANGEBYSCORE', failures, '-inf', ms(now - window))
      redis.call('PEXPIRE', failures, ms(window))
      local u = until_of(state)
      if redis.call('ZCARD', failures) >= threshold and not (u and u > now) then cool(state, failures, probe, id, duration) end
    end
  end
end
return 0
`;

/**
 * KEYS: state, probe. ARGV: holder, claim ms. Returns {0, remaining ms} while the deployment cools
 * down, {1} when the probe is now the caller's, {2} when another instance holds it.
 */
const CLAIM_PROBE = `${CLOCK_LUA}
local now = now_ms()
local u = until_of(KEYS[1])
if u and u > now then return {0, u - now} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1} end
return {2}
`;

/** KEYS: the state of each deployment. Returns each one's remaining cooldown in ms, -1 when it is not cooling down. */
const READ_COOLDOWNS = `${CLOCK_LUA}
local now = now_ms()
local out = {}
for i = 1, #KEYS do
  local u = until_of(KEYS[i])
  if u and u > now then out[i] = u - now else out[i] = -1 end
end
return out
`;

export const REDIS_HEALTH_SCRIPTS = {
  switchyardReportHealth: REPORT_HEALTH,
  switchyardClaimProbe: CLAIM_PROBE,
  switchyardReadCooldowns: READ_COOLDOWNS,
} as const;

export type RedisHealthScript = keyof typeof REDIS_HEALTH_SCRIPTS;
