/**
 * The StateStore port: every live counter, limit and budget reservation the gateway shares
 * between requests (and, with a Redis implementation, between instances). Each method is one
 * atomic step: callers never read-then-write, so concurrent requests cannot both pass a limit.
 * Money is integer pico-USD (1e-12 USD).
 */
export interface StateStore {
  /**
   * Fixed-window counters (RPM, TPM): adds each counter's `amount` to its current window, all or
   * none. A counter with a `limit` refuses when `count + amount` would pass it, or — for an amount
   * of 0, a pure check — when the window is already at the limit.
   */
  incrementWindows(counters: readonly WindowCounter[], nowMs: number): Promise<WindowOutcome>;
  /** Adds without limits (tokens learnt after a call). */
  addToWindows(counters: readonly Omit<WindowCounter, "limit">[], nowMs: number): Promise<void>;
  /** The current window's count, 0 when none. */
  readWindow(key: string, windowMs: number, nowMs: number): Promise<number>;

  /** Semaphores (max parallel requests): takes one slot of each, all or none. */
  acquireSlots(slots: readonly SlotRequest[]): Promise<SlotOutcome>;
  releaseSlots(keys: readonly string[]): Promise<void>;
  /** Slots in use. */
  readSlots(key: string): Promise<number>;

  /**
   * Seeds a budget window with the spend the call log holds for it, unless the store already holds a
   * seeded window for that period. A budget the store lost (a Redis without persistence restarted or was
   * flushed) is unseeded again, whatever the process remembers; one recreated without its seed mark keeps
   * its open reservations and takes the larger of the two spends.
   */
  seedBudget(scope: string, period: string, spentPico: bigint): Promise<void>;
  /**
   * Reserves `amountPico` on every line, all or none, when `spent + reserved + amount <= limit` holds for
   * each. A line whose window is not seeded reserves nothing and is reported (`reason: "unseeded"`): the
   * caller seeds it from the call log and tries again, so a store that forgot never starts from zero.
   */
  reserveBudget(lines: readonly BudgetLine[]): Promise<ReserveOutcome>;
  /** Ends a reservation: adds `actualPico` to each line's spend and frees what was reserved. Unknown ids are ignored. */
  settleBudget(reservationId: string, actualPico: bigint): Promise<void>;
  /** Spend and open reservations of one budget window; zero and `seeded: false` when it is not seeded. */
  readBudget(scope: string, period: string): Promise<BudgetState>;
}

export interface WindowCounter {
  key: string;
  windowMs: number;
  amount: number;
  limit?: number;
}

export type WindowOutcome = { ok: true } | { ok: false; key: string; retryAfterMs: number };

export interface SlotRequest {
  key: string;
  max: number;
}

export type SlotOutcome = { ok: true } | { ok: false; key: string };

export interface BudgetLine {
  /** What the budget belongs to, e.g. "key:<id>". */
  scope: string;
  /** The budget window, e.g. "day:2026-11-24" or "lifetime"; a new period starts from zero. */
  period: string;
  limitPico: bigint;
  amountPico: bigint;
}

export interface BudgetState {
  spentPico: bigint;
  reservedPico: bigint;
  /** The store holds this window seeded from the call log (false: it never did, or it forgot). */
  seeded: boolean;
}

export type ReserveOutcome =
  | { ok: true; reservationId: string }
  | { ok: false; reason: "limit"; scope: string; limitPico: bigint; spentPico: bigint; reservedPico: bigint }
  | { ok: false; reason: "unseeded"; scopes: string[] };
