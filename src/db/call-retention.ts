import { getTableName, sql } from "drizzle-orm";
import type { CallLogLogger } from "./call-log-writer-spec.js";
import type { DrizzleDb } from "./database.js";
import { dropCallPartitionsBefore } from "./call-partitions.js";
import { startRepeatingJob } from "./repeating-job.js";
import { callFeedback, storedResponses } from "./schema/index.js";

const DAY_MS = 86_400_000;

export interface CallRetentionOptions {
  db: DrizzleDb;
  /** Raw calls (and their attempts) older than this many days are deleted; rollups are kept. */
  days: number;
  /** Pause between sweeps. */
  intervalMs?: number;
  /** Rows deleted per statement (DEFAULT partitions, stored responses, feedback), so no sweep holds long locks or builds a huge transaction. */
  batchSize?: number;
  /** Longest wait for a partitioned table's lock before a drop gives up until the next sweep (default 5 s). */
  lockTimeoutMs?: number;
  logger?: Pick<CallLogLogger, "warn">;
  now?: () => number;
}

export interface CallRetentionSweep {
  /** The call-log partitions detached and dropped (both tables). */
  droppedPartitions: string[];
  /** Calls deleted row by row: those in a DEFAULT partition (a day that had no partition of its own). */
  deletedCalls: number;
}

export interface CallRetention {
  /** The oldest instant whose calls are kept: listings never show calls before it, deleted yet or not. */
  horizon(): Date;
  /** Drops the partitions wholly older than the horizon and deletes older rows elsewhere; resolves to what went. */
  sweep(): Promise<CallRetentionSweep>;
  close(): Promise<void>;
}

/**
 * Keeps the raw call log to a number of days. Usage reports, budgets and health read the rollups,
 * which stay; what goes is the per-call detail (listing, `call(id)`, attempts, reports by TAG).
 *
 * `calls` and `call_attempts` are partitioned by day (call-partitions.ts), so a sweep detaches and
 * drops each partition whose whole range is older than the horizon: no row-by-row delete, no bloat,
 * no vacuum debt. The partition the horizon falls in is kept until it is wholly old (at most one
 * partition's width longer); listings and `call(id)` apply the horizon themselves, so a call older
 * than it disappears at once, not at the next sweep. Rows in the DEFAULT partitions (written for a
 * day that had no partition) are deleted in batches, as are stored responses (the Responses API's
 * conversations) and feedback, which are call detail too and go at the same horizon (feedback by
 * when it was recorded).
 */
export function createCallRetention(options: CallRetentionOptions): CallRetention {
  const { db, days, logger, now = Date.now } = options;
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`call retention must be a whole number of days ≥ 1, got ${days}`);
  const intervalMs = options.intervalMs ?? 10 * 60_000;
  const batchSize = Math.max(1, options.batchSize ?? 5_000);
  const horizon = () => new Date(now() - days * DAY_MS);

  /** Deletes a table's rows older than the horizon, oldest first, a batch per statement. */
  const sweepTable = async (table: string, key: string, time: string, before: string): Promise<number> => {
    let deleted = 0;
    const [from, keyColumn, timeColumn] = [sql.identifier(table), sql.identifier(key), sql.identifier(time)];
    for (;;) {
      const result = (await db.execute(sql`
        delete from ${from} where ${keyColumn} in (
          select ${keyColumn} from ${from} where ${timeColumn} < ${before}::timestamptz order by ${timeColumn} limit ${batchSize})`)) as unknown as {
        rowCount?: number | null;
        affectedRows?: number;
      };
      const count = Number(result.rowCount ?? result.affectedRows ?? 0);
      deleted += count;
      if (count < batchSize || job.closed) return deleted;
    }
  };

  const sweepOnce = async (): Promise<CallRetentionSweep> => {
    const at = horizon();
    const before = at.toISOString();
    // A drop that timed out on a lock fails the sweep (logged, retried at the next one), but only after the rest is swept.
    let droppedPartitions: string[] = [];
    let dropFailure: unknown;
    try {
      droppedPartitions = await dropCallPartitionsBefore(db, at, options.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.lockTimeoutMs });
    } catch (error) {
      dropFailure = error;
    }
    let deletedCalls = 0;
    if (!job.closed) deletedCalls = await sweepTable("calls_default", "id", "created_at", before);
    // An attempt's key is (call_id, attempt_index, started_at): its row identity stands in for it.
    if (!job.closed) await sweepTable("call_attempts_default", "ctid", "started_at", before);
    if (!job.closed) await sweepTable(getTableName(storedResponses), "id", "created_at", before);
    if (!job.closed) await sweepTable(getTableName(callFeedback), "id", "recorded_at", before);
    if (dropFailure !== undefined) throw dropFailure;
    return { droppedPartitions, deletedCalls };
  };

  const job = startRepeatingJob(sweepOnce, { intervalMs, logger, failure: "call retention sweep failed; will retry" });
  return { horizon, sweep: job.run, close: job.close };
}
