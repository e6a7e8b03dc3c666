import type { Logger } from "pino";
import type { Config } from "../config/index.js";
import {
  createCallLogWriter,
  createCallPartitionKeeper,
  createCallRetention,
  createRollupMerger,
  openCallLogThread,
  type CallLogThread,
  type CallLogWriter,
  type CallRetention,
  type Database,
  type RollupMerger,
} from "../db/index.js";
import type { CloseSteps } from "./close-steps.js";

export interface OpenCallLog {
  callLog: CallLogWriter;
  /** Folds the call log's rollup increments into call_rollups in the background. */
  rollupMerger: RollupMerger;
  /** Present when `database.callRetentionDays` is set. */
  retention?: CallRetention;
}

/**
 * Whether the call log writes from a worker thread (database.callLog.thread; absent: on with Postgres). The
 * thread opens its own pool on config.database.url, so a database handed in without one stays on this thread.
 */
export function callLogThreadUrl(config: Config, database: Database): string | undefined {
  const url = config.database.url;
  if (database.kind !== "postgres" || !url || config.database.callLog.thread === false) return undefined;
  return url;
}

/**
 * Opens the call log on the primary: its partitions for today and the days ahead, the rollup
 * merger, the writer (spilling to `spillDir` while the database is down) and retention. Closing
 * (in reverse, through `steps`) drains the writer first, then merges its last rollup increments. With
 * Postgres the writes and the merger run in a worker thread (openCallLogThread): the writer, its spill
 * files, write-ahead log, retries and quarantine stay here, and only each batch's write is posted.
 */
export async function openCallLog(config: Config, database: Database, spillDir: string, logger: Logger, steps: CloseSteps): Promise<OpenCallLog> {
  // A miss only costs speed: the DEFAULT partition takes the rows.
  const partitionKeeper = createCallPartitionKeeper({
    db: database.db,
    partitionDays: config.database.callLog.partitionDays,
    aheadDays: config.database.callLog.partitionAheadDays,
    logger,
  });
  steps.add("the call partition keeper", () => partitionKeeper.close());
  await partitionKeeper.ensure().catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, "creating call log partitions failed; will retry"));
  const threadUrl = callLogThreadUrl(config, database);
  const thread: CallLogThread | undefined = threadUrl === undefined ? undefined : openCallLogThread({ url: threadUrl, logger });
  // The thread's merger: its close folds the last increments and then ends the thread.
  const rollupMerger = thread?.rollupMerger ?? createRollupMerger({ db: database.db, logger });
  steps.add("the rollup merger", () => rollupMerger.close());
  const callLog = createCallLogWriter({
    ...(thread ? { writeBatch: thread.writeBatch } : { db: database.db }),
    logger,
    spillDir,
    writeAhead: config.database.callLog.writeAhead,
  });
  steps.add("the call log", async () => {
    const before = callLog.stats();
    try {
      await callLog.close();
    } finally {
      const after = callLog.stats();
      logger.info(
        { stored: after.written - before.written, spilled: after.spilled - before.spilled, lost: after.lost - before.lost, wasBuffered: before.buffered },
        "call log drained",
      );
    }
  });
  const retention =
    config.database.callRetentionDays === undefined ? undefined : createCallRetention({ db: database.db, days: config.database.callRetentionDays, logger });
  if (retention) steps.add("call retention", () => retention.close());
  return { callLog, rollupMerger, ...(retention ? { retention } : {}) };
}
