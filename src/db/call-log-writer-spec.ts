import type { CallRecord, CallSink } from "../core/index.js";
import type { DrizzleDb } from "./database.js";
import type { BatchOutcome } from "./write-call-batch.js";

/** The subset of a pino logger the writer uses. */
export interface CallLogLogger {
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/**
 * Where the writer is (see call-log-state.ts for the moves between states):
 * - `buffering`: records wait in memory for a full batch or the flush interval;
 * - `flushing`: a batch is being written in one transaction;
 * - `replaying`: spill files (or a dead process's write-ahead files) are being written back;
 * - `backingOff`: a write failed for a reason that heals (the database is away); records stay
 *   buffered (past `maxBuffered` they spill to disk) until the retry timer fires;
 * - `draining`: close() writes out what is left, retrying until `closeTimeoutMs`;
 * - `spilling`: close() gave up on the database and moves what is left to spill files;
 * - `closed`.
 * Beside any state, records past `maxBuffered` go straight to a spill file (overflow), so memory
 * stays bounded while the database is slow or away.
 */
export type CallLogState = "buffering" | "flushing" | "replaying" | "backingOff" | "draining" | "spilling" | "closed";

export interface CallLogWriterOptions {
  /** The database the calls go to (through writeCallBatch). */
  db?: DrizzleDb;
  /** Writes one batch instead of writeCallBatch into `db`: tests script the database's failures through it. */
  writeBatch?: (records: readonly CallRecord[]) => Promise<BatchOutcome>;
  /** Records per transaction. */
  batchSize?: number;
  /** How long a lone record may wait for companions before it is written. */
  flushIntervalMs?: number;
  /** Records kept in memory; beyond this they go to the spill directory (when there is one). */
  maxBuffered?: number;
  /**
   * Overflow lands here as `calls-*.jsonl` (replayed once the database takes writes, and at start);
   * records that can never be stored as `quarantine-*.jsonl` (never replayed); and, with
   * `writeAhead`, the write-ahead files `wal-*.jsonl`. One directory per instance.
   */
  spillDir?: string;
  /**
   * Append every record to a write-ahead file before record() returns, so a killed process
   * (SIGKILL, OOM) loses no call: files left by a dead process are replayed at start. Not fsynced:
   * the lines are in the OS page cache when record() returns, which outlives the process but not
   * the machine. Needs `spillDir`.
   */
  writeAhead?: boolean;
  logger?: CallLogLogger;
  now?: () => number;
  /** Runs `callback` after `ms` without keeping the process alive; returns a cancel function. */
  setTimer?: (callback: () => void, ms: number) => () => void;
  /** Waits `ms` (close() between retries; this one keeps the process alive). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How long close() keeps retrying before it spills what is left. */
  closeTimeoutMs?: number;
  /** Records per spill file (bounds what one replay step holds in memory). */
  spillFileRecords?: number;
}

export interface CallLogWriterStats {
  state: CallLogState;
  /** In memory, waiting for the database or for the spill file. */
  buffered: number;
  /** Calls newly stored (duplicates of stored ids are not counted). */
  written: number;
  failedFlushes: number;
  /** Records appended to spill files. */
  spilled: number;
  /** Records read back from spill files and written. */
  replayed: number;
  /** Records that can never be stored (refused by the database as invalid, or unserializable): kept in quarantine-*.jsonl, or logged. */
  quarantined: number;
  /** Records neither stored nor kept on disk when close() ended (no spill directory, or the disk failed). */
  lost: number;
}

export interface CallLogWriter extends CallSink {
  /** Writes everything buffered now (and pending spill files); rejects if the database fails. */
  flush(): Promise<void>;
  /**
   * Drains the buffer, retrying for up to closeTimeoutMs, then spills what is left. Rejects
   * (CallLogLossError) when records could be neither stored nor spilled, so a shutdown that
   * loses calls does not look clean.
   */
  close(): Promise<void>;
  stats(): CallLogWriterStats;
}

/** close() ended with records it could neither store nor keep on disk. */
export class CallLogLossError extends Error {
  override readonly name = "CallLogLossError";
  readonly lost: number;

  constructor(lost: number, cause?: unknown) {
    super(`the call log closed with ${lost} records neither stored nor spilled`, { cause });
    this.lost = lost;
  }

  static isInstance(error: unknown): error is CallLogLossError {
    return error instanceof CallLogLossError;
  }
}
