import type { CallLogLogger } from "./call-log-writer-spec.js";
import { ensureCallPartitions } from "./call-partitions.js";
import type { DrizzleDb } from "./database.js";
import { startRepeatingJob } from "./repeating-job.js";

const DAY_MS = 86_400_000;

export interface CallPartitionKeeperOptions {
  db: DrizzleDb;
  /** Width of one partition in days (default 1). */
  partitionDays?: number;
  /** Partitions exist from today to this many days ahead (default 7). */
  aheadDays?: number;
  /** Pause between checks (default one hour). */
  intervalMs?: number;
  logger?: Pick<CallLogLogger, "warn">;
  now?: () => number;
}

export interface CallPartitionKeeper {
  /** Creates the partitions missing from today to `aheadDays` ahead; resolves to the names created. */
  ensure(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Keeps the call log's partitions created ahead of time, on PGlite as on Postgres: the gateway
 * awaits one `ensure()` at start and the keeper repeats it every `intervalMs`. Missing one costs
 * nothing but speed: rows for a day without a partition go to the DEFAULT partition, and the next
 * `ensure()` moves them into the day's partition when it creates it.
 */
export function createCallPartitionKeeper(options: CallPartitionKeeperOptions): CallPartitionKeeper {
  const { db, logger, now = Date.now } = options;
  const partitionDays = options.partitionDays ?? 1;
  const aheadDays = options.aheadDays ?? 7;
  if (!Number.isInteger(partitionDays) || partitionDays < 1) throw new RangeError(`call partitions must be a whole number of days ≥ 1, got ${partitionDays}`);
  if (!Number.isInteger(aheadDays) || aheadDays < 1) throw new RangeError(`call partitions must be made a whole number of days ≥ 1 ahead, got ${aheadDays}`);
  const intervalMs = options.intervalMs ?? 3_600_000;
  const job = startRepeatingJob(
    () => ensureCallPartitions(db, { from: new Date(now()), to: new Date(now() + aheadDays * DAY_MS), partitionDays }),
    { intervalMs, logger, failure: "creating call log partitions failed; will retry" },
  );
  return { ensure: job.run, close: job.close };
}
