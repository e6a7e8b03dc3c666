import type { CallRecord } from "../core/index.js";
import { isCallLogTransition } from "./call-log-state.js";
import {
  type CallLogState,
  type CallLogWriter,
  type CallLogWriterOptions,
  type CallLogWriterStats,
  CallLogLossError,
} from "./call-log-writer-spec.js";
import { refSleep, unrefTimer } from "./call-log-timers.js";
import { type CallSpillStore, createCallSpillStore } from "./call-spill-store.js";
import { rootCauseMessage } from "./call-write-error.js";
import { createOverflowSpiller } from "./create-overflow-spiller.js";
import { type CallWriteAheadLog, type WriteAheadSegment, createCallWriteAheadLog } from "./call-write-ahead-log.js";
import { quarantineCalls } from "./quarantine-calls.js";
import { recoverWriteAheadFilesOrLog } from "./recover-write-ahead-files-or-log.js";
import { replayOldestSpillFile } from "./replay-oldest-spill-file.js";
import { writeCallBatch } from "./write-call-batch.js";

/** A buffered record and the write-ahead file holding its line, released once it is settled. */
interface Entry {
  record: CallRecord;
  wal: WriteAheadSegment | undefined;
}

/**
 * The call log: `record()` only appends to a buffer (and, with `writeAhead`, one line to a file);
 * one write loop at a time stores batches in a transaction. A failure that heals (the database is
 * away) keeps the batch and backs off; a record that can never be stored is quarantined and the
 * rest of its batch stored. Memory is bounded by spilling to disk when a spill directory is given.
 * The states and their moves are in call-log-writer-spec.ts and call-log-state.ts; time comes in
 * through `now`, `setTimer` and `sleep`, so fault tests need no real sleeps.
 */
export function createCallLogWriter(options: CallLogWriterOptions): CallLogWriter {
  const { logger, now = Date.now, random = Math.random, setTimer = unrefTimer, sleep = refSleep } = options;
  const { db } = options;
  const writeBatch = options.writeBatch ?? (db ? (records: readonly CallRecord[]) => writeCallBatch(db, records) : undefined);
  if (writeBatch === undefined) throw new TypeError("createCallLogWriter needs a db or a writeBatch");
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const flushIntervalMs = options.flushIntervalMs ?? 25;
  const maxBuffered = Math.max(batchSize, options.maxBuffered ?? 50_000);
  const retryBaseMs = options.retryBaseMs ?? 100;
  const retryMaxMs = options.retryMaxMs ?? 5_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  const spillDir = options.spillDir;
  if (options.writeAhead && spillDir === undefined) throw new TypeError("the call log's writeAhead needs a spillDir");
  const spill: CallSpillStore | undefined =
    spillDir === undefined ? undefined : createCallSpillStore({ dir: spillDir, now, recordsPerFile: options.spillFileRecords });
  // Files a killed process left become spill files before this process starts its own.
  const recoveredWal = options.writeAhead && spillDir ? recoverWriteAheadFilesOrLog(spillDir, logger) : 0;
  const wal: CallWriteAheadLog | undefined = options.writeAhead && spillDir ? createCallWriteAheadLog({ dir: spillDir }) : undefined;

  let state: CallLogState = "buffering";
  let buffer: Entry[] = [];
  let running: Promise<void> | undefined;
  let cancelTimer: (() => void) | undefined;
  let armedMs: number | undefined;
  let consecutiveFailures = 0;
  // Spill files may be left over from an earlier run: replay them once the database answers.
  let replayPending = spill !== undefined;
  let closing = false;
  let closePromise: Promise<void> | undefined;
  const warned = new Set<string>();
  const counts = { written: 0, failedFlushes: 0, spilled: 0, replayed: 0, quarantined: 0, lost: 0 };
  if (recoveredWal > 0) logger?.warn({ files: recoveredWal }, "replaying call write-ahead files left by a process that did not stop cleanly");

  const warnOnce = (key: string, object: object, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    logger?.error(object, message);
  };

  const enter = (next: CallLogState) => {
    if (!isCallLogTransition(state, next)) logger?.error({ from: state, to: next }, "call log made a move its state machine does not allow");
    state = next;
  };

  const arm = (ms: number) => {
    cancelTimer?.();
    armedMs = ms;
    cancelTimer = setTimer(() => {
      cancelTimer = undefined;
      armedMs = undefined;
      run().catch(() => undefined);
    }, ms);
  };

  const disarm = () => {
    cancelTimer?.();
    cancelTimer = undefined;
    armedMs = undefined;
  };

  /** In `buffering`, waits for a full batch or the interval; other states have their own timer or loop. */
  const schedule = () => {
    if (state !== "buffering" || running !== undefined) return;
    if (buffer.length >= batchSize) {
      if (armedMs !== 0) arm(0);
    } else if (armedMs === undefined && (buffer.length > 0 || replayPending)) {
      arm(flushIntervalMs);
    }
  };

  const backoffMs = () => {
    const ceiling = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(consecutiveFailures - 1, 30));
    return ceiling / 2 + (random() * ceiling) / 2;
  };

  const settle = (entries: readonly Entry[]) => {
    if (!wal) return;
    for (const entry of entries) {
      if (entry.wal === undefined) continue;
      try {
        wal.settle(entry.wal);
      } catch (error) {
        warnOnce("wal-settle", { err: rootCauseMessage(error) }, "cannot empty a call write-ahead file; its records will be replayed (and skipped as stored) at the next start");
      }
    }
  };

  const quarantine = (rejected: ReadonlyArray<{ record: CallRecord; error: unknown }>) => {
    counts.quarantined += rejected.length;
    return quarantineCalls({ spill, logger, now }, rejected);
  };

  const writeRecords = async (records: readonly CallRecord[]) => {
    const outcome = await writeBatch(records);
    counts.written += outcome.inserted;
    await quarantine(outcome.rejected);
  };

  /** Replays the oldest spill file; false when none is left. */
  const replayOne = async (): Promise<boolean> => {
    if (!spill) return false;
    const replayed = await replayOldestSpillFile({ spill, batchSize, writeRecords, logger });
    if (replayed === undefined) return false;
    counts.replayed += replayed;
    return true;
  };

  /**
   * Writes batches until nothing is left to write now. A loop started by the interval (or a full
   * batch) writes what has gathered, then goes on only while a full batch waits: a partial one waits
   * for the next interval, so steady traffic is written every flushIntervalMs in batches of what came
   * meanwhile, not one small transaction per round trip (each costs the process and the database the
   * same five statements whatever its size). `drainAll` (flush, close) writes everything buffered.
   */
  const writeLoop = async (drainAll: boolean) => {
    try {
      let wrote = false;
      for (;;) {
        if (buffer.length > 0 && (drainAll || !wrote || buffer.length >= batchSize)) {
          if (!closing) enter("flushing");
          const batch = buffer.splice(0, batchSize);
          try {
            await writeRecords(batch.map((entry) => entry.record));
          } catch (error) {
            buffer = batch.concat(buffer);
            throw error;
          }
          settle(batch);
          wrote = true;
        } else if (replayPending) {
          // Spill files replay while no full batch is due; what came meanwhile is written next.
          if (!closing) enter("replaying");
          replayPending = await replayOne();
          wrote = false;
        } else {
          break;
        }
        consecutiveFailures = 0;
      }
      if (!closing) enter("buffering");
    } catch (error) {
      consecutiveFailures += 1;
      counts.failedFlushes += 1;
      const retryInMs = closing ? undefined : Math.round(backoffMs());
      logger?.warn(
        { err: rootCauseMessage(error), failures: consecutiveFailures, buffered: buffer.length, retryInMs },
        "call log flush failed; records kept for retry",
      );
      if (retryInMs !== undefined) {
        enter("backingOff");
        arm(retryInMs);
      }
      throw error;
    }
  };

  /** Starts the write loop unless it runs already; the promise settles when it stops. */
  const run = (drainAll = false): Promise<void> => {
    if (running) return running;
    disarm();
    const loop = writeLoop(drainAll).finally(() => {
      running = undefined;
      schedule();
    });
    running = loop;
    return loop;
  };

  const overflow = spill
    ? createOverflowSpiller<Entry>({
        spill,
        spilled: async (entries, unserializable) => {
          counts.spilled += entries.length - unserializable.length;
          replayPending = true;
          await quarantine(unserializable);
          settle(entries);
        },
        failed: (entries, error) => {
          // Memory over a lost record: keep them buffered past the bound.
          logger?.error({ err: rootCauseMessage(error), records: entries.length }, "cannot write the call spill file; keeping records in memory");
          buffer = buffer.concat(entries);
        },
      })
    : undefined;

  const record = (call: CallRecord) => {
    try {
      if (typeof call !== "object" || call === null || typeof call.id !== "string") {
        logger?.error({ call: String(call) }, "call log ignored something that is not a call record");
        return;
      }
      const entry: Entry = { record: call, wal: state === "closed" ? undefined : appendAhead(call) };
      if (state === "closed") {
        if (overflow) {
          overflow.push([entry]);
        } else {
          warnOnce("late", { id: call.id }, "call recorded after the call log closed; it is not stored");
        }
        return;
      }
      if (buffer.length >= maxBuffered && overflow) {
        overflow.push([entry]);
        return;
      }
      buffer.push(entry);
      if (buffer.length > maxBuffered) {
        warnOnce("unbounded", { maxBuffered }, "call log buffer is over its bound and there is no spill directory; buffering in memory");
      }
      schedule();
    } catch (error) {
      logger?.error({ err: rootCauseMessage(error) }, "call log could not take a record");
    }
  };

  const appendAhead = (call: CallRecord): WriteAheadSegment | undefined => {
    if (!wal) return undefined;
    try {
      return wal.append(call);
    } catch (error) {
      // A record that does not serialize is quarantined at its write; only a disk failure is news.
      if (!(error instanceof RangeError || error instanceof TypeError)) {
        warnOnce("wal-append", { id: call.id, err: rootCauseMessage(error) }, "cannot append to the call write-ahead file; records are only in memory");
      }
      return undefined;
    }
  };

  // The running loop may have started before the caller's records or before the database came
  // back: wait for it, then run one that covers everything buffered now.
  const flush = async () => {
    await overflow?.idle();
    if (running) await running.catch(() => undefined);
    await run(true);
  };

  const closeOnce = async () => {
    closing = true;
    enter("draining");
    disarm();
    const deadline = now() + closeTimeoutMs;
    for (;;) {
      try {
        await flush();
        if (buffer.length === 0 && (overflow?.pending ?? 0) === 0 && !replayPending) break;
      } catch {
        const left = deadline - now();
        if (left <= 0) break;
        await sleep(Math.min(backoffMs(), left));
      }
      if (now() >= deadline) break;
    }
    disarm();
    if (buffer.length > 0 && overflow) {
      enter("spilling");
      const left = buffer;
      buffer = [];
      overflow.push(left);
      await overflow.idle();
    }
    enter("closed");
    const lost = buffer.length;
    // Lines of records still unsettled stay in the write-ahead file for the next start.
    wal?.close();
    if (lost === 0) return;
    counts.lost += lost;
    logger?.error({ records: lost, writeAhead: wal !== undefined }, "call log closed with records neither stored nor spilled");
    throw new CallLogLossError(lost);
  };

  if (spill) schedule();

  return {
    record,
    flush,
    close: () => (closePromise ??= closeOnce()),
    stats: (): CallLogWriterStats => ({ state, buffered: buffer.length + (overflow?.pending ?? 0), ...counts }),
  };
}
