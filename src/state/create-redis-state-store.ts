import { randomUUID } from "node:crypto";
// ioredis is loaded only when a store is created: a gateway without Redis does not pay for it at start.
import type { Redis } from "ioredis";
import { StateStoreError } from "./state-store-error.js";
import { REDIS_STATE_SCRIPTS, type RedisStateScript } from "./redis-state-scripts.js";
import type { BudgetLine, StateStore, WindowCounter } from "./state-store.js";

export type RedisStateStoreOptions = (
  | {
      /** An open (or lazily connecting) client that the caller owns and closes; the store defines its scripts on it. */
      client: Redis;
      url?: never;
    }
  | {
      /** `redis://[user:password@]host:port[/db]` or `rediss://…`: the store opens its own client and close() quits it. */
      url: string;
      client?: never;
    }
) & {
  /** Put before every key, so several deployments (or test runs) can share one Redis. Default "switchyard:". */
  keyPrefix?: string;
  /**
   * How long an open budget reservation or parallel slot is held when it is never settled or released
   * (its instance died, or the reply was lost). Longer than any call may run. Default 15 minutes.
   */
  leaseTtlMs?: number;
  /** How long start waits for Redis to answer. Default 5 s. */
  connectTimeoutMs?: number;
  /** How long one operation waits for its reply before it fails. Default 5 s. */
  commandTimeoutMs?: number;
  /** Connection errors while the client reconnects on its own (the failed operations throw StateStoreError as well). */
  onConnectionError?: (error: Error) => void;
};

export interface RedisStateStore extends StateStore {
  /** The client its scripts run on (the shared health runs its own scripts on it too). */
  readonly client: Redis;
  /** Whether Redis answers now (for readiness). */
  ping(): Promise<boolean>;
  /** Quits the client when the store opened it; leaves a caller's client open. */
  close(): Promise<void>;
}

type ScriptCall = (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<unknown>;

const DEFAULT_LEASE_TTL_MS = 15 * 60_000;
/** A reservation's record (which budgets it is on) outlives its lease, so a settle after the lease still counts the spend. */
const RECORD_TTL_FACTOR = 2;
/** Settles and releases kept for a retry while Redis is away; past this, the oldest is left to its lease. */
const MAX_PENDING_RETRIES = 10_000;
const UNAVAILABLE = "The shared state store is unavailable, so limits and budgets cannot be checked; retry shortly";

/**
 * The StateStore shared by several gateway instances: one Redis, version 5 or later (standalone; a
 * Sentinel setup through a client the caller builds), every operation one Lua script (see
 * redis-state-scripts.ts for the key layout, the exact money arithmetic and the leases). Resolves
 * once Redis answers; a Redis that does not answer within `connectTimeoutMs` rejects with a
 * StateStoreError naming the address (password hidden).
 *
 * Later outages fail fast instead of queueing: the store's own client keeps no offline queue and
 * never resends a command by itself after a reconnect (a reserve must not run twice), so each
 * operation throws a StateStoreError (UNAVAILABLE, 503) while the client reconnects in the
 * background. Only settles and slot releases, which are idempotent, are sent again once it is back.
 */
export async function createRedisStateStore(options: RedisStateStoreOptions): Promise<RedisStateStore> {
  const prefix = options.keyPrefix ?? "switchyard:";
  const leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const commandTimeoutMs = options.commandTimeoutMs ?? 5_000;
  const owned = options.client === undefined;
  const client =
    options.client ??
    new (await import("ioredis")).Redis(options.url, {
      lazyConnect: true,
      connectTimeout: connectTimeoutMs,
      commandTimeout: commandTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
    });
  for (const [name, lua] of Object.entries(REDIS_STATE_SCRIPTS)) client.defineCommand(name, { lua });
  await connect(client, owned, connectTimeoutMs, options.url === undefined ? "the given client" : redactUrl(options.url));
  if (owned) client.on("error", (error: Error) => options.onConnectionError?.(error));

  const scripts = client as unknown as Record<RedisStateScript, ScriptCall>;
  const run = (script: RedisStateScript, keys: readonly string[], args: readonly string[]) => scripts[script](keys.length, ...keys, ...args);
  const guard = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw new StateStoreError(operation, UNAVAILABLE, error);
    }
  };

  // Settling a reservation and dropping a slot lease are idempotent (a settled reservation is unknown,
  // a dropped lease is gone), so when one fails while Redis is away it is sent again once the client
  // is back, rather than holding the budget or slot until its lease runs out.
  const pendingRetries: Array<() => Promise<unknown>> = [];
  const retryWhenBack = (work: () => Promise<unknown>) => {
    if (pendingRetries.length >= MAX_PENDING_RETRIES) pendingRetries.shift();
    pendingRetries.push(work);
  };
  const idempotent = async (operation: string, work: () => Promise<unknown>): Promise<void> => {
    try {
      await guard(operation, work);
    } catch (error) {
      retryWhenBack(work);
      throw error;
    }
  };
  const onReady = () => {
    for (const work of pendingRetries.splice(0)) work().catch(() => retryWhenBack(work));
  };
  client.on("ready", onReady);

  const windowKey = (key: string, windowMs: number, startMs: number) => `${prefix}window:${key}:${windowMs}:${startMs}`;
  const slotKey = (key: string) => `${prefix}slots:${key}`;
  const budgetKeys = (scope: string) => [`${prefix}budget:${scope}`, `${prefix}budget-leases:${scope}`] as const;
  const reservationKey = (id: string) => `${prefix}reservation:${id}`;
  /** Leases this instance holds per semaphore, oldest first: releaseSlots(keys) drops one of them per key. */
  const heldSlots = new Map<string, string[]>();

  const addWindows = (operation: string, counters: readonly WindowCounter[], nowMs: number) => {
    const keys: string[] = [];
    const args: string[] = [];
    for (const counter of counters) {
      checkCount(counter.amount, "amount");
      if (counter.limit !== undefined) checkCount(counter.limit, "limit");
      const startMs = Math.floor(nowMs / counter.windowMs) * counter.windowMs;
      keys.push(windowKey(counter.key, counter.windowMs, startMs));
      // The key lives one window past its end, so an instance whose clock lags still finds it.
      args.push(String(counter.amount), counter.limit === undefined ? "" : String(counter.limit), String(startMs + 2 * counter.windowMs - nowMs));
    }
    return guard(operation, () => run("switchyardIncrementWindows", keys, args)) as Promise<number>;
  };

  return {
    client,

    async incrementWindows(counters, nowMs) {
      if (counters.length === 0) return { ok: true };
      const refused = await addWindows("incrementWindows", counters, nowMs);
      if (refused === 0) return { ok: true };
      const counter = counters[refused - 1]!;
      const startMs = Math.floor(nowMs / counter.windowMs) * counter.windowMs;
      return { ok: false, key: counter.key, retryAfterMs: Math.max(1, startMs + counter.windowMs - nowMs) };
    },

    async addToWindows(counters, nowMs) {
      if (counters.length > 0) await addWindows("addToWindows", counters, nowMs);
    },

    async readWindow(key, windowMs, nowMs) {
      const value = await guard("readWindow", () => client.get(windowKey(key, windowMs, Math.floor(nowMs / windowMs) * windowMs)));
      return value === null ? 0 : Number(value);
    },

    async acquireSlots(requests) {
      if (requests.length === 0) return { ok: true };
      for (const request of requests) checkCount(request.max, "max");
      const token = randomUUID();
      const refused = (await guard("acquireSlots", () =>
        run("switchyardAcquireSlots", requests.map((r) => slotKey(r.key)), [token, String(leaseTtlMs), ...requests.map((r) => String(r.max))]),
      )) as number;
      if (refused !== 0) return { ok: false, key: requests[refused - 1]!.key };
      for (const [i, request] of requests.entries()) {
        const held = heldSlots.get(request.key) ?? [];
        held.push(`${token}:${i + 1}`);
        heldSlots.set(request.key, held);
      }
      return { ok: true };
    },

    /** Drops one lease this instance holds on each key; a key it holds none of is ignored. */
    async releaseSlots(keys) {
      const released: Array<{ key: string; lease: string }> = [];
      for (const key of keys) {
        const held = heldSlots.get(key);
        const lease = held?.shift();
        if (held?.length === 0) heldSlots.delete(key);
        if (lease !== undefined) released.push({ key, lease });
      }
      if (released.length === 0) return;
      await idempotent("releaseSlots", () => run("switchyardReleaseSlots", released.map((r) => slotKey(r.key)), released.map((r) => r.lease)));
    },

    async readSlots(key) {
      return (await guard("readSlots", () => run("switchyardReadSlots", [slotKey(key)], []))) as number;
    },

    async seedBudget(scope, period, spentPico) {
      checkMoney(spentPico, "spentPico");
      await guard("seedBudget", () => run("switchyardSeedBudget", budgetKeys(scope), [period, spentPico.toString()]));
    },

    async reserveBudget(lines: readonly BudgetLine[]) {
      const reservationId = randomUUID();
      if (lines.length === 0) return { ok: true, reservationId };
      const keys = [reservationKey(reservationId)];
      const args = [reservationId, String(leaseTtlMs), String(leaseTtlMs * RECORD_TTL_FACTOR)];
      for (const line of lines) {
        checkMoney(line.limitPico, "limitPico");
        checkMoney(line.amountPico, "amountPico");
        keys.push(...budgetKeys(line.scope));
        args.push(line.scope, line.period, line.limitPico.toString(), line.amountPico.toString());
      }
      const reply = (await guard("reserveBudget", () => run("switchyardReserveBudget", keys, args))) as Array<number | string>;
      const [refused, spent, reserved] = reply as [number, string?, string?];
      if (refused === 0) return { ok: true, reservationId };
      if (refused === -1) return { ok: false, reason: "unseeded", scopes: reply.slice(1).map((i) => lines[Number(i) - 1]!.scope) };
      const line = lines[refused - 1]!;
      return { ok: false, reason: "limit", scope: line.scope, limitPico: line.limitPico, spentPico: BigInt(spent!), reservedPico: BigInt(reserved!) };
    },

    async settleBudget(reservationId, actualPico) {
      checkMoney(actualPico, "actualPico");
      const key = reservationKey(reservationId);
      await idempotent("settleBudget", async () => {
        // The record never changes once written, so reading it first only tells which budget keys the
        // script must declare; the script itself checks that the reservation is still open.
        const record = await client.lrange(key, 0, -1);
        if (record.length === 0) return;
        const keys = [key];
        for (let i = 0; i < record.length; i += 2) keys.push(...budgetKeys(record[i]!));
        await run("switchyardSettleBudget", keys, [reservationId, actualPico.toString()]);
      });
    },

    async readBudget(scope, period) {
      const [spent, reserved, seeded] = (await guard("readBudget", () => run("switchyardReadBudget", budgetKeys(scope), [period]))) as [string, string, number];
      return { spentPico: BigInt(spent), reservedPico: BigInt(reserved), seeded: seeded === 1 };
    },

    async ping() {
      try {
        await withTimeout(client.ping(), commandTimeoutMs);
        return true;
      } catch {
        return false;
      }
    },

    async close() {
      client.off("ready", onReady);
      if (!owned) return;
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** Waits for the first answer; a client the store opened is disconnected again when there is none. */
async function connect(client: Redis, owned: boolean, timeoutMs: number, target: string): Promise<void> {
  let lastError: unknown;
  const remember = (error: unknown) => {
    lastError = error;
  };
  client.on("error", remember);
  try {
    if (owned) await withTimeout(client.connect(), timeoutMs);
    await withTimeout(client.ping(), timeoutMs);
  } catch (error) {
    if (owned) client.disconnect();
    const cause = lastError ?? error;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new StateStoreError("connect", `Cannot reach Redis (the shared state store) at ${target}: ${reason}`, cause);
  } finally {
    client.off("error", remember);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable URL)";
  }
}

function checkMoney(value: bigint, name: string): void {
  if (value < 0n) throw new RangeError(`${name} must not be negative (got ${value})`);
}

function checkCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer (got ${value})`);
}
