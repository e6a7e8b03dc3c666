import type { BudgetPeriod } from "./governance-types.js";

export interface BudgetWindow {
  /** Identifies the window in the state store, e.g. "daily:2026-11-24". */
  id: string;
  start: Date;
  /** Exclusive; null for a lifetime budget. */
  end: Date | null;
}

const DAY_MS = 86_400_000;

/** The UTC window of a budget period that contains `now` (weeks start on Monday). */
export function budgetWindow(period: BudgetPeriod, now: Date): BudgetWindow {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  switch (period) {
    case "daily":
      return window(period, day, day + DAY_MS);
    case "weekly": {
      const start = day - ((now.getUTCDay() + 6) % 7) * DAY_MS;
      return window(period, start, start + 7 * DAY_MS);
    }
    case "monthly":
      return window(period, Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1), Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    case "lifetime":
      return { id: "lifetime", start: new Date(0), end: null };
  }
}

function window(period: BudgetPeriod, startMs: number, endMs: number): BudgetWindow {
  const start = new Date(startMs);
  return { id: `${period}:${start.toISOString().slice(0, 10)}`, start, end: new Date(endMs) };
}
