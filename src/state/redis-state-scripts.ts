import { REDIS_CLOCK_LUA } from "./redis-clock-lua.js";

/**
 * The Lua scripts of the Redis StateStore, one per operation. Redis runs a script as one atomic
 * step, so each StateStore method is exactly one script call (EVALSHA, falling back to EVAL after a
 * Redis restart). Every key a script touches is passed in KEYS.
 *
 * Money: Lua's numbers are doubles, exact only up to 2^53 (about 9e15 pico-USD = $9,007), and Redis'
 * own integer commands stop at 2^63. Amounts are therefore kept as non-negative integer decimal
 * strings ("1000000000000000000" pico = $1,000,000) and added, subtracted and compared by the
 * helpers below in base-10^7 chunks: a chunk sum plus carry stays far below 2^53, so every step is
 * exact and there is no upper bound. Counts of requests and tokens are small integers and use
 * plain INCRBY.
 *
 * Leases: open reservations and parallel slots carry a deadline taken from Redis' own clock (TIME),
 * so instances with skewed clocks agree. A reservation or slot whose instance died (or lost the
 * reply) is freed when its deadline passes, by the next script that touches that budget or semaphore.
 */

const DECIMAL_LUA = `
local BASE = 10000000
local function trim(digits)
  local trimmed = string.gsub(digits, '^0+', '')
  if trimmed == '' then return '0' end
  return trimmed
end
local function chunk(s, last)
  if last < 1 then return 0 end
  return tonumber(string.sub(s, math.max(1, last - 6), last))
end
local function cmp(a, b)
  if #a ~= #b then return #a < #b and -1 or 1 end
  for k = 1, #a do
    local x, y = string.byte(a, k), string.byte(b, k)
    if x ~= y then return x < y and -1 or 1 end
  end
  return 0
end
local function add(a, b)
  local parts, carry, done = {}, 0, 0
  local width = math.max(#a, #b)
  while done < width or carry > 0 do
    local s = chunk(a, #a - done) + chunk(b, #b - done) + carry
    carry = math.floor(s / BASE)
    table.insert(parts, 1, string.format('%07d', s % BASE))
    done = done + 7
  end
  return trim(table.concat(parts))
end
local function sub(a, b)
  if cmp(a, b) <= 0 then return '0' end
  local parts, borrow, done = {}, 0, 0
  while done < #a do
    local d = chunk(a, #a - done) - chunk(b, #b - done) - borrow
    if d < 0 then d = d + BASE; borrow = 1 else borrow = 0 end
    table.insert(parts, 1, string.format('%07d', d))
    done = done + 7
  end
  return trim(table.concat(parts))
end
`;

/**
 * A budget is a hash per scope: its current period, spent, reserved, `seeded` ('1' once its spend was
 * seeded from the call log), and one field "r:<id>" per open reservation holding that reservation's
 * amount; beside it a sorted set of the open reservation ids scored by lease deadline. Only seeding
 * creates the hash for a period: a hash that is missing (Redis restarted empty, or was flushed), holds
 * another period, or lacks the seed mark is unseeded, and a reserve on it is refused as such so that
 * the caller seeds it from the call log first — never from zero.
 */
const BUDGET_LUA = `
local function seeded(budget, period)
  return redis.call('HGET', budget, 'period') == period and redis.call('HGET', budget, 'seeded') == '1'
end
local function sweep(budget, leases, now)
  local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', ms(now))
  if #expired == 0 then return end
  local reserved = redis.call('HGET', budget, 'reserved') or '0'
  for _, id in ipairs(expired) do
    local amount = redis.call('HGET', budget, 'r:' .. id)
    if amount then
      reserved = sub(reserved, amount)
      redis.call('HDEL', budget, 'r:' .. id)
    end
  end
  redis.call('HSET', budget, 'reserved', reserved)
  redis.call('ZREMRANGEBYSCORE', leases, '-inf', ms(now))
end
`;

const BUDGET_PRELUDE = DECIMAL_LUA + REDIS_CLOCK_LUA + BUDGET_LUA;

/**
 * KEYS: reservation, then budget and leases of each line. ARGV: id, lease ms, record ms, then scope,
 * period, limit, amount of each line. Returns {0}; {-1, line, line, …} naming the lines that are not
 * seeded; or {line, spent, reserved} of the first line that does not fit (nothing reserved either way).
 * The reservation record (scope, period of each line) lets settle find the budgets; it outlives the
 * lease so that a late settle still counts the spend.
 */
const RESERVE_BUDGET = `${BUDGET_PRELUDE}
local id, lease_ms, record_ms = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local lines = (#KEYS - 1) / 2
local unseeded = {}
for i = 1, lines do
  if not seeded(KEYS[2 * i], ARGV[4 * i + 1]) then table.insert(unseeded, i) end
end
if #unseeded > 0 then
  table.insert(unseeded, 1, -1)
  return unseeded
end
local now = now_ms()
for i = 1, lines do
  local budget, leases, base = KEYS[2 * i], KEYS[2 * i + 1], 4 * i
  sweep(budget, leases, now)
  local spent = redis.call('HGET', budget, 'spent')
  local reserved = redis.call('HGET', budget, 'reserved')
  if cmp(add(add(spent, reserved), ARGV[base + 3]), ARGV[base + 2]) > 0 then
    return {i, spent, reserved}
  end
end
local field = 'r:' .. id
for i = 1, lines do
  local budget, leases, base = KEYS[2 * i], KEYS[2 * i + 1], 4 * i
  local amount = ARGV[base + 3]
  redis.call('HSET', budget, 'reserved', add(redis.call('HGET', budget, 'reserved'), amount))
  redis.call('HSET', budget, field, add(redis.call('HGET', budget, field) or '0', amount))
  redis.call('ZADD', leases, ms(now + lease_ms), id)
  redis.call('RPUSH', KEYS[1], ARGV[base], ARGV[base + 1])
end
redis.call('PEXPIRE', KEYS[1], record_ms)
return {0}
`;

/**
 * KEYS: reservation, then budget and leases of each recorded line. ARGV: id, actual. Returns 0 for an
 * unknown (or already settled) reservation. A line whose budget moved to another period is skipped.
 */
const SETTLE_BUDGET = `${BUDGET_PRELUDE}
local record = redis.call('LRANGE', KEYS[1], 0, -1)
if #record == 0 then return 0 end
if #KEYS ~= #record + 1 then return redis.error_reply('settle: keys do not match the reservation record') end
redis.call('DEL', KEYS[1])
local field, actual = 'r:' .. ARGV[1], ARGV[2]
for i = 1, #record / 2 do
  local budget, leases = KEYS[2 * i], KEYS[2 * i + 1]
  if redis.call('HGET', budget, 'period') == record[2 * i] then
    local amount = redis.call('HGET', budget, field)
    if amount then
      redis.call('HSET', budget, 'reserved', sub(redis.call('HGET', budget, 'reserved'), amount))
      redis.call('HDEL', budget, field)
      redis.call('ZREM', leases, ARGV[1])
    end
    redis.call('HSET', budget, 'spent', add(redis.call('HGET', budget, 'spent'), actual))
  end
end
return 1
`;

/**
 * KEYS: budget, leases. ARGV: period, spent. A seeded window of the period is left alone (returns 0).
 * Another period or none starts afresh from the seed. A hash of the period without the seed mark (left
 * by a gateway that predates it) keeps its open reservations and takes the larger of the two spends.
 */
const SEED_BUDGET = `${DECIMAL_LUA}
local period = redis.call('HGET', KEYS[1], 'period')
if period == ARGV[1] and redis.call('HGET', KEYS[1], 'seeded') == '1' then return 0 end
if period ~= ARGV[1] then
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('HSET', KEYS[1], 'period', ARGV[1], 'spent', ARGV[2], 'reserved', '0', 'seeded', '1')
  return 1
end
local spent = redis.call('HGET', KEYS[1], 'spent') or '0'
if cmp(ARGV[2], spent) > 0 then spent = ARGV[2] end
redis.call('HSET', KEYS[1], 'spent', spent, 'reserved', redis.call('HGET', KEYS[1], 'reserved') or '0', 'seeded', '1')
return 1
`;

/** KEYS: budget, leases. ARGV: period. Returns {spent, reserved, seeded} after freeing expired leases. */
const READ_BUDGET = `${BUDGET_PRELUDE}
if not seeded(KEYS[1], ARGV[1]) then return {'0', '0', 0} end
sweep(KEYS[1], KEYS[2], now_ms())
local held = redis.call('HMGET', KEYS[1], 'spent', 'reserved')
return {held[1] or '0', held[2] or '0', 1}
`;

/**
 * KEYS: one key per counter and window. ARGV: amount, limit ('' for none), ttl ms of each counter.
 * Returns 0, or the 1-based index of the first counter over its limit (nothing added).
 */
const INCREMENT_WINDOWS = `
for i = 1, #KEYS do
  local limit = ARGV[3 * i - 1]
  if limit ~= '' then
    local count = tonumber(redis.call('GET', KEYS[i]) or '0')
    local amount, cap = tonumber(ARGV[3 * i - 2]), tonumber(limit)
    if (amount == 0 and count >= cap) or (amount > 0 and count + amount > cap) then return i end
  end
end
for i = 1, #KEYS do
  if tonumber(ARGV[3 * i - 2]) > 0 then
    redis.call('INCRBY', KEYS[i], ARGV[3 * i - 2])
    redis.call('PEXPIRE', KEYS[i], ARGV[3 * i])
  end
end
return 0
`;

/**
 * A semaphore is a sorted set of leases scored by deadline. KEYS: one per semaphore. ARGV: lease
 * token, lease ms, then the max of each. Returns 0, or the 1-based index of the first full one.
 */
const ACQUIRE_SLOTS = `${REDIS_CLOCK_LUA}
local now = now_ms()
for i = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ms(now))
  if redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[i + 2]) then return i end
end
local deadline = ms(now + tonumber(ARGV[2]))
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], deadline, ARGV[1] .. ':' .. i)
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
end
return 0
`;

/** KEYS: semaphores. ARGV: the lease to drop from each. */
const RELEASE_SLOTS = `
for i = 1, #KEYS do redis.call('ZREM', KEYS[i], ARGV[i]) end
return 0
`;

/** KEYS: a semaphore. Returns the leases that have not run out. */
const READ_SLOTS = `${REDIS_CLOCK_LUA}
return redis.call('ZCOUNT', KEYS[1], '(' .. ms(now_ms()), '+inf')
`;

/** Script names as defined on the client (prefixed so they cannot clash with a caller's own commands). */
export const REDIS_STATE_SCRIPTS = {
  switchyardReserveBudget: RESERVE_BUDGET,
  switchyardSettleBudget: SETTLE_BUDGET,
  switchyardSeedBudget: SEED_BUDGET,
  switchyardReadBudget: READ_BUDGET,
  switchyardIncrementWindows: INCREMENT_WINDOWS,
  switchyardAcquireSlots: ACQUIRE_SLOTS,
  switchyardReleaseSlots: RELEASE_SLOTS,
  switchyardReadSlots: READ_SLOTS,
} as const;

export type RedisStateScript = keyof typeof REDIS_STATE_SCRIPTS;
