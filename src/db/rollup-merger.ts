import type { CallLogLogger } from "./call-log-writer-spec.js";
import type { DrizzleDb } from "./database.js";
import { type MergeOutcome, mergeRollupDeltas } from "./merge-rollup-deltas.js";

export interface RollupMergerOptions {
  db: DrizzleDb;
  /** Pause between merge rounds. */
  intervalMs?: number;
  /** Increments (written batches) folded per transaction. */
  maxDeltas?: number;
  logger?: Pick<CallLogLogger, "warn">;
  /** Told the counts after every timed round (the call log thread posts them to the main thread's metrics). */
  onRound?: (stats: RollupMergerStats) => void;
}

export interface RollupMergerStats {
  /** Increments folded into call_rollups so far. */
  merged: number;
  /** call_rollups rows upserted so far. */
  rollupRows: number;
  failedRounds: number;
}

export interface RollupMerger {
  /** Folds every pending increment now (also those other instances left); rejects if the database fails. */
  mergeAll(): Promise<MergeOutcome>;
  /** Stops the timer and runs a last mergeAll (failures are logged, not thrown: the increments stay for the next start). */
  close(): Promise<void>;
  stats(): RollupMergerStats;
}

/**
 * Runs mergeRollupDeltas every `intervalMs` until nothing is pending. One round at a time;
 * a failed round (database away) is logged and retried at the next tick — the increments
 * stay in `call_rollup_deltas`, where usage reads already count them.
 */
export function createRollupMerger(options: RollupMergerOptions): RollupMerger {
  const { db, logger } = options;
  const intervalMs = options.intervalMs ?? 1_000;
  const maxDeltas = options.maxDeltas ?? 200;
  const counts: RollupMergerStats = { merged: 0, rollupRows: 0, failedRounds: 0 };
  let running: Promise<MergeOutcome> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const roundLoop = async (): Promise<MergeOutcome> => {
    const total: MergeOutcome = { deltas: 0, rollupRows: 0 };
    for (;;) {
      const outcome = await mergeRollupDeltas(db, { maxDeltas });
      total.deltas += outcome.deltas;
      total.rollupRows += outcome.rollupRows;
      counts.merged += outcome.deltas;
      counts.rollupRows += outcome.rollupRows;
      if (outcome.deltas < maxDeltas) return total;
    }
  };

  const mergeAll = async (): Promise<MergeOutcome> => {
    while (running) await running.catch(() => undefined);
    const round = roundLoop().finally(() => {
      running = undefined;
    });
    running = round;
    return round;
  };

  const tick = () => {
    timer = undefined;
    if (closed) return;
    mergeAll()
      .catch((error: unknown) => {
        counts.failedRounds += 1;
        logger?.warn({ err: error instanceof Error ? error.message : String(error) }, "rollup merge failed; increments kept for the next round");
      })
      .finally(() => {
        options.onRound?.({ ...counts });
        if (!closed) {
          timer = setTimeout(tick, intervalMs);
          timer.unref();
        }
      });
  };
  timer = setTimeout(tick, intervalMs);
  timer.unref();

  return {
    mergeAll,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      try {
        await mergeAll();
      } catch (error) {
        logger?.warn({ err: error instanceof Error ? error.message : String(error) }, "last rollup merge failed; increments stay for the next start");
      }
    },
    stats: () => ({ ...counts }),
  };
}
