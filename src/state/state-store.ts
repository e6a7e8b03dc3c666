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

  /** Sets a budget window's spend when the store holds nothing for it yet (e.g. from the call log after a restart). */
  seedBudget(scope: string, period: string, spentPico: bigint): Promise<void>;
  /** Reserves `amountPico` on every line, all or none, when `spent + reserved + amount <= limit` holds for each. */
  reserveBudget(lines: readonly BudgetLine[]): Promise<ReserveOutcome>;
  /** Ends a reservation: adds `actualPico` to each line's spend and frees what was reserved. Unknown ids are ignored. */
  settleBudget(reservationId: string, actualPico: bigint): Promise<void>;
  /** Spend and open reservations of one budget window. */
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
}

export type ReserveOutcome =
  | { ok: true; reservationId: string }
  | { ok: false; scope: string; limitPico: bigint; spentPico: bigint; reservedPico: bigint };
