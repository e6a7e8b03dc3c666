import { sql } from "drizzle-orm";
import type { CallLogLogger } from "./call-log-writer.js";
import type { DrizzleDb } from "./database.js";
import { calls, storedResponses } from "./schema/index.js";

const DAY_MS = 86_400_000;

export interface CallRetentionOptions {
  db: DrizzleDb;
  /** Raw calls (and their attempts) older than this many days are deleted; rollups are kept. */
  days: number;
  /** Pause between sweeps. */
  intervalMs?: number;
  /** Calls deleted per statement, so no sweep holds long locks or builds a huge transaction. */
  batchSize?: number;
  logger?: Pick<CallLogLogger, "warn">;
  now?: () => number;
}

export interface CallRetention {
  /** The oldest instant whose calls are kept: listings never show calls before it, deleted yet or not. */
  horizon(): Date;
  /** Deletes every call (and stored response) older than the horizon, in batches; resolves to how many calls. */
  sweep(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Keeps the raw call log to a number of days. Usage reports, budgets and health read the rollups,
 * which stay; what goes is the per-call detail (listing, `call(id)`, attempts, reports by TAG).
 * Listings apply the horizon themselves, so a call older than it disappears from `calls` (and
 * from `totalCount`) at once, not at the next sweep. Stored responses (the Responses API's
 * conversations) are call detail too and go at the same horizon.
 */
export function createCallRetention(options: CallRetentionOptions): CallRetention {
  const { db, days, logger, now = Date.now } = options;
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`call retention must be a whole number of days ≥ 1, got ${days}`);
  const intervalMs = options.intervalMs ?? 10 * 60_000;
  const batchSize = Math.max(1, options.batchSize ?? 5_000);
  const horizon = () => new Date(now() - days * DAY_MS);
  let running: Promise<number> | undefined;
  let closed = false;

  /** Deletes a table's rows older than the horizon, oldest first, a batch per statement (the index on created_at finds them). */
  const sweepTable = async (table: typeof calls | typeof storedResponses, before: string): Promise<number> => {
    let deleted = 0;
    for (;;) {
      const result = (await db.execute(sql`
        delete from ${table} where id in (
          select id from ${table} where created_at < ${before}::timestamptz order by created_at limit ${batchSize})`)) as unknown as {
        rowCount?: number | null;
        affectedRows?: number;
      };
      const count = Number(result.rowCount ?? result.affectedRows ?? 0);
      deleted += count;
      if (count < batchSize || closed) return deleted;
    }
  };

  const sweepOnce = async (): Promise<number> => {
    const before = horizon().toISOString();
    // Attempts go with their call (ON DELETE CASCADE).
    const deleted = await sweepTable(calls, before);
    if (!closed) await sweepTable(storedResponses, before);
    return deleted;
  };

  const sweep = (): Promise<number> => {
    running ??= sweepOnce().finally(() => {
      running = undefined;
    });
    return running;
  };

  let timer: NodeJS.Timeout | undefined;
  const schedule = (ms: number) => {
    if (closed) return;
    timer = setTimeout(() => {
      sweep()
        .catch((error: unknown) => logger?.warn({ err: error instanceof Error ? error.message : String(error) }, "call retention sweep failed; will retry"))
        .finally(() => schedule(intervalMs));
    }, ms);
    timer.unref();
  };
  schedule(intervalMs);

  return {
    horizon,
    sweep,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
