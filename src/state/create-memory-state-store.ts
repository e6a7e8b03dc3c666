import type { BudgetLine, BudgetState, StateStore, WindowCounter } from "./state-store.js";

interface Budget {
  period: string;
  spentPico: bigint;
  reservedPico: bigint;
}

interface Window {
  startMs: number;
  count: number;
}

interface Reservation {
  lines: Array<{ scope: string; period: string; amountPico: bigint }>;
}

/**
 * The StateStore for one instance. Every method body runs without awaiting, so on Node's single
 * thread each one is atomic. A budget exists once seeded for its period; a new period is unseeded
 * until seeded again, and a reservation made in an earlier period settles nothing into the new one.
 */
export function createMemoryStateStore(): StateStore {
  const windows = new Map<string, Window>();
  const slots = new Map<string, number>();
  const budgets = new Map<string, Budget>();
  const reservations = new Map<string, Reservation>();
  let nextReservation = 0;

  const windowOf = (key: string, windowMs: number, nowMs: number): Window => {
    const startMs = Math.floor(nowMs / windowMs) * windowMs;
    const id = `${key}|${windowMs}`;
    let window = windows.get(id);
    if (!window || window.startMs !== startMs) {
      window = { startMs, count: 0 };
      windows.set(id, window);
    }
    return window;
  };

  /** Only seedBudget creates a budget, so one held for the period is seeded. */
  const heldBudget = (scope: string, period: string): Budget | undefined => {
    const budget = budgets.get(scope);
    return budget && budget.period === period ? budget : undefined;
  };

  return {
    async incrementWindows(counters, nowMs) {
      const current = counters.map((counter) => windowOf(counter.key, counter.windowMs, nowMs));
      for (const [i, counter] of counters.entries()) {
        const window = current[i]!;
        if (counter.limit === undefined) continue;
        const over = counter.amount === 0 ? window.count >= counter.limit : window.count + counter.amount > counter.limit;
        if (over) return { ok: false, key: counter.key, retryAfterMs: Math.max(1, window.startMs + counter.windowMs - nowMs) };
      }
      for (const [i, counter] of counters.entries()) current[i]!.count += counter.amount;
      return { ok: true };
    },

    async addToWindows(counters: readonly Omit<WindowCounter, "limit">[], nowMs: number) {
      for (const counter of counters) windowOf(counter.key, counter.windowMs, nowMs).count += counter.amount;
    },

    async readWindow(key, windowMs, nowMs) {
      const window = windows.get(`${key}|${windowMs}`);
      return window && window.startMs === Math.floor(nowMs / windowMs) * windowMs ? window.count : 0;
    },

    async acquireSlots(requests) {
      for (const request of requests) {
        if ((slots.get(request.key) ?? 0) >= request.max) return { ok: false, key: request.key };
      }
      for (const request of requests) slots.set(request.key, (slots.get(request.key) ?? 0) + 1);
      return { ok: true };
    },

    async releaseSlots(keys) {
      for (const key of keys) {
        const used = (slots.get(key) ?? 0) - 1;
        if (used > 0) slots.set(key, used);
        else slots.delete(key);
      }
    },

    async readSlots(key) {
      return slots.get(key) ?? 0;
    },

    async seedBudget(scope, period, spentPico) {
      const budget = budgets.get(scope);
      if (!budget || budget.period !== period) budgets.set(scope, { period, spentPico, reservedPico: 0n });
    },

    async reserveBudget(lines: readonly BudgetLine[]) {
      const unseeded = lines.filter((line) => !heldBudget(line.scope, line.period)).map((line) => line.scope);
      if (unseeded.length > 0) return { ok: false, reason: "unseeded", scopes: unseeded };
      for (const line of lines) {
        const budget = heldBudget(line.scope, line.period)!;
        if (budget.spentPico + budget.reservedPico + line.amountPico > line.limitPico) {
          return { ok: false, reason: "limit", scope: line.scope, limitPico: line.limitPico, spentPico: budget.spentPico, reservedPico: budget.reservedPico };
        }
      }
      for (const line of lines) heldBudget(line.scope, line.period)!.reservedPico += line.amountPico;
      const reservationId = `r${++nextReservation}`;
      reservations.set(reservationId, { lines: lines.map(({ scope, period, amountPico }) => ({ scope, period, amountPico })) });
      return { ok: true, reservationId };
    },

    async settleBudget(reservationId, actualPico) {
      const reservation = reservations.get(reservationId);
      if (!reservation) return;
      reservations.delete(reservationId);
      for (const line of reservation.lines) {
        const budget = budgets.get(line.scope);
        if (!budget || budget.period !== line.period) continue;
        budget.reservedPico -= line.amountPico;
        budget.spentPico += actualPico;
      }
    },

    async readBudget(scope, period): Promise<BudgetState> {
      const budget = heldBudget(scope, period);
      return budget ? { spentPico: budget.spentPico, reservedPico: budget.reservedPico, seeded: true } : { spentPico: 0n, reservedPico: 0n, seeded: false };
    },
  };
}
