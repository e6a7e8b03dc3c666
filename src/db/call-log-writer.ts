import type { CallRecord, CallSink } from "../core/index.js";
import { serializeCallRecord } from "./call-record-json.js";
import { type CallSpillStore, createCallSpillStore } from "./call-spill-store.js";
import type { DrizzleDb } from "./database.js";
import { type RejectedCall, writeCallBatch } from "./write-call-batch.js";

/** The subset of a pino logger the writer uses. */
export interface CallLogLogger {
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface CallLogWriterOptions {
  db: DrizzleDb;
  /** Records per transaction. */
  batchSize?: number;
  /** How long a lone record may wait for companions before it is written. */
  flushIntervalMs?: number;
  /** Records kept in memory; beyond this they go to the spill directory (when there is one). */
  maxBuffered?: number;
  /** Overflow and rejected records land here as JSONL; spill files are replayed once the database takes writes. */
  spillDir?: string;
  logger?: CallLogLogger;
  now?: () => number;
  random?: () => number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How long close() keeps retrying before it spills what is left. */
  closeTimeoutMs?: number;
  /** Records per spill file (bounds what one replay step holds in memory). */
  spillFileRecords?: number;
}

export interface CallLogWriterStats {
  /** In memory, waiting for the database or for the spill file. */
  buffered: number;
  /** Calls newly stored (duplicates of stored ids are not counted). */
  written: number;
  failedFlushes: number;
  /** Records appended to spill files. */
  spilled: number;
  /** Records read back from spill files and written. */
  replayed: number;
  /** Records the database refused as invalid (kept in rejected-*.jsonl, or logged). */
  rejected: number;
}

export interface CallLogWriter extends CallSink {
  /** Writes everything buffered now (and pending spill files); rejects if the database fails. */
  flush(): Promise<void>;
  /** Drains the buffer, retrying for up to closeTimeoutMs, then spills what is left. */
  close(): Promise<void>;
  stats(): CallLogWriterStats;
}

type TimerKind = "now" | "interval" | "retry";

/**
 * The call log: `record()` only appends to a buffer; one flush at a time writes batches in a
 * transaction, retrying with backoff on failure so no record is dropped while the database
 * is away. Memory is bounded by spilling to disk when a spill directory is given.
 */
export function createCallLogWriter(options: CallLogWriterOptions): CallLogWriter {
  const { db, logger, now = Date.now, random = Math.random } = options;
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const flushIntervalMs = options.flushIntervalMs ?? 25;
  const maxBuffered = Math.max(batchSize, options.maxBuffered ?? 50_000);
  const retryBaseMs = options.retryBaseMs ?? 100;
  const retryMaxMs = options.retryMaxMs ?? 5_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  const spill: CallSpillStore | undefined =
    options.spillDir === undefined
      ? undefined
      : createCallSpillStore({ dir: options.spillDir, now, recordsPerFile: options.spillFileRecords });

  let buffer: CallRecord[] = [];
  let overflow: CallRecord[] = [];
  let spillWriting: Promise<void> | undefined;
  let draining: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let timerKind: TimerKind | undefined;
  let consecutiveFailures = 0;
  // Spill files may be left over from an earlier run: replay them once the database answers.
  let replayPending = spill !== undefined;
  let closing = false;
  let closed = false;
  let closePromise: Promise<void> | undefined;
  let warnedUnbounded = false;
  let warnedLate = false;
  const counts = { written: 0, failedFlushes: 0, spilled: 0, replayed: 0, rejected: 0 };

  const setTimer = (kind: TimerKind, ms: number) => {
    clearTimer();
    timerKind = kind;
    timer = setTimeout(() => {
      timer = undefined;
      timerKind = undefined;
      drain().catch(() => undefined);
    }, ms);
    timer.unref();
  };

  const clearTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    timerKind = undefined;
  };

  const schedule = () => {
    if (closing || draining !== undefined || timerKind === "retry") return;
    if (buffer.length >= batchSize) {
      if (timerKind !== "now") setTimer("now", 0);
    } else if (timerKind === undefined && (buffer.length > 0 || replayPending)) {
      setTimer("interval", flushIntervalMs);
    }
  };

  const backoffMs = () => {
    const ceiling = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(consecutiveFailures - 1, 30));
    return ceiling / 2 + (random() * ceiling) / 2;
  };

  const handleRejected = async (rejected: RejectedCall[]) => {
    if (rejected.length === 0) return;
    counts.rejected += rejected.length;
    const first = rejected[0]?.error;
    logger?.error(
      { ids: rejected.map((item) => item.record.id), err: messageOf(first) },
      "call records refused by the database",
    );
    const records = rejected.map((item) => item.record);
    try {
      if (spill) await spill.reject(records);
      else logger?.error({ records: records.map(serializeCallRecord) }, "refused call records (no spill directory to keep them)");
    } catch (error) {
      logger?.error({ err: messageOf(error), records: records.map(serializeCallRecord) }, "could not keep refused call records");
    }
  };

  const writeRecords = async (records: CallRecord[]) => {
    const outcome = await writeCallBatch(db, records);
    consecutiveFailures = 0;
    counts.written += outcome.inserted;
    await handleRejected(outcome.rejected);
  };

  /** Replays the oldest spill file; false when none is left. */
  const replayOne = async (): Promise<boolean> => {
    if (!spill) return false;
    let path: string | undefined;
    let records: CallRecord[];
    try {
      [path] = await spill.listReplayable();
      if (path === undefined) return false;
      const read = await spill.read(path);
      records = read.records;
      if (read.badLines > 0) logger?.warn({ path, badLines: read.badLines }, "skipped unreadable lines in a call spill file");
    } catch (error) {
      // A file we cannot read is not the database's fault: stop replaying until the next spill.
      logger?.error({ path, err: messageOf(error) }, "cannot read call spill files");
      return false;
    }
    for (let start = 0; start < records.length; start += batchSize) {
      await writeRecords(records.slice(start, start + batchSize));
    }
    counts.replayed += records.length;
    await spill.remove(path);
    return true;
  };

  const drainLoop = async () => {
    try {
      for (;;) {
        if (buffer.length > 0) {
          const batch = buffer.splice(0, batchSize);
          try {
            await writeRecords(batch);
          } catch (error) {
            buffer = batch.concat(buffer);
            throw error;
          }
        } else if (replayPending) {
          replayPending = await replayOne();
        } else {
          return;
        }
      }
    } catch (error) {
      consecutiveFailures += 1;
      counts.failedFlushes += 1;
      const retryInMs = closing ? undefined : Math.round(backoffMs());
      logger?.warn(
        { err: messageOf(error), failures: consecutiveFailures, buffered: buffer.length, retryInMs },
        "call log flush failed; records kept for retry",
      );
      if (retryInMs !== undefined) setTimer("retry", retryInMs);
      throw error;
    }
  };

  const drain = (): Promise<void> => {
    if (draining) return draining;
    clearTimer();
    const run = drainLoop().finally(() => {
      draining = undefined;
      schedule();
    });
    draining = run;
    return run;
  };

  const startSpillWrite = () => {
    if (spillWriting || !spill) return;
    const store = spill;
    spillWriting = (async () => {
      while (overflow.length > 0) {
        const chunk = overflow;
        overflow = [];
        try {
          await store.append(chunk);
          counts.spilled += chunk.length;
          replayPending = true;
        } catch (error) {
          // Memory over a lost record: keep them buffered past the bound.
          logger?.error({ err: messageOf(error), records: chunk.length }, "cannot write the call spill file; keeping records in memory");
          buffer = buffer.concat(chunk);
          return;
        }
      }
    })().finally(() => {
      spillWriting = undefined;
      if (overflow.length > 0) startSpillWrite();
    });
  };

  const spillIdle = async () => {
    while (spillWriting) await spillWriting;
  };

  const record = (call: CallRecord) => {
    try {
      if (typeof call !== "object" || call === null || typeof call.id !== "string") {
        logger?.error({ call: String(call) }, "call log ignored something that is not a call record");
        return;
      }
      if (closed) {
        if (spill) {
          overflow.push(call);
          startSpillWrite();
        } else if (!warnedLate) {
          warnedLate = true;
          logger?.error({ id: call.id }, "call recorded after the call log closed; it is not stored");
        }
        return;
      }
      if (buffer.length >= maxBuffered && spill) {
        overflow.push(call);
        startSpillWrite();
        return;
      }
      buffer.push(call);
      if (buffer.length > maxBuffered && !warnedUnbounded) {
        warnedUnbounded = true;
        logger?.warn({ maxBuffered }, "call log buffer is over its bound and there is no spill directory; buffering in memory");
      }
      schedule();
    } catch (error) {
      logger?.error({ err: messageOf(error) }, "call log could not take a record");
    }
  };

  // The in-flight drain may have started before the caller's records or before the database
  // came back: wait for it, then run one that covers everything buffered now.
  const flush = async () => {
    await spillIdle();
    if (draining) await draining.catch(() => undefined);
    await drain();
  };

  const closeOnce = async () => {
    closing = true;
    clearTimer();
    const deadline = now() + closeTimeoutMs;
    for (;;) {
      try {
        await flush();
        if (buffer.length === 0 && overflow.length === 0 && !replayPending) break;
      } catch {
        const left = deadline - now();
        if (left <= 0) break;
        await sleep(Math.min(backoffMs(), left));
      }
      if (now() >= deadline) break;
    }
    closed = true;
    clearTimer();
    if (buffer.length > 0) {
      const left = buffer;
      buffer = [];
      if (spill) {
        overflow = overflow.concat(left);
        startSpillWrite();
      } else {
        logger?.error({ records: left.length }, "call log closed with unwritten records and no spill directory; they are lost");
      }
    }
    await spillIdle();
  };

  if (spill) schedule();

  return {
    record,
    flush,
    close: () => (closePromise ??= closeOnce()),
    stats: () => ({ buffered: buffer.length + overflow.length, ...counts }),
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The root cause's message: drizzle wraps driver errors in one whose message holds the whole
 * multi-row statement and its parameters, far too big for a log line.
 */
function messageOf(error: unknown): string {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause !== undefined; depth++) current = current.cause;
  const text = current instanceof Error ? current.message || current.name : String(current);
  const code = current instanceof Object ? (current as { code?: unknown }).code : undefined;
  const withCode = typeof code === "string" ? `${text} (${code})` : text;
  return withCode.length > 500 ? `${withCode.slice(0, 500)}…` : withCode;
}
