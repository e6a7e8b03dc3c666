import { Worker } from "node:worker_threads";
import type { CallRecord } from "../core/index.js";
import type { CallLogLogger } from "./call-log-writer-spec.js";
import { type CallLogReply, type CallLogRequest, type CallLogWorkerData, rebuildWriteError } from "./call-log-thread-protocol.js";
import { callLogWorkerEntry } from "./call-log-worker-entry.js";
import { CallWriteError, rootCauseMessage } from "./call-write-error.js";
import type { MergeOutcome } from "./merge-rollup-deltas.js";
import type { RollupMerger, RollupMergerStats } from "./rollup-merger.js";
import type { BatchOutcome, RejectedCall } from "./write-call-batch.js";

export interface CallLogThreadOptions {
  /** The Postgres URL (as the server's pool, ssl settings included). */
  url: string;
  /** The thread's own pool: one connection writes, one merges. */
  poolMax?: number;
  mergeIntervalMs?: number;
  logger?: CallLogLogger;
  /** Pause before a thread that died is started again, when no batch asks for one sooner (the merger runs in it). */
  restartDelayMs?: number;
}

export interface CallLogThread {
  /** The call log writer's `writeBatch`: writeCallBatch in the thread. A thread that dies mid-batch fails it as retryable. */
  writeBatch(records: readonly CallRecord[]): Promise<BatchOutcome>;
  /** The rollup merger, run in the thread; close() folds the last increments, then stops the thread. */
  rollupMerger: RollupMerger;
  /** Stops the running thread as if it had died (what it holds fails as retryable; the next batch starts a new one). */
  terminate(): Promise<void>;
  /** Threads started so far (1 + restarts). */
  starts(): number;
}

type Reply<T extends CallLogReply["type"]> = Extract<CallLogReply, { type: T }>;
interface Pending {
  resolve(reply: CallLogReply): void;
  reject(error: Error): void;
}

const ZERO: RollupMergerStats = { merged: 0, rollupRows: 0, failedRounds: 0 };
const add = (a: RollupMergerStats, b: RollupMergerStats): RollupMergerStats => ({
  merged: a.merged + b.merged,
  rollupRows: a.rollupRows + b.rollupRows,
  failedRounds: a.failedRounds + b.failedRounds,
});

/**
 * Runs the call log's database writes and the rollup merger in a node:worker_threads worker
 * (call-log-worker.ts) with a Postgres pool of its own: the main thread only clones each batch into
 * a message. Records and errors cross as plain data (structured clone keeps Dates and bigints; a
 * CallWriteError is rebuilt with the classification the thread made). Started at the first request;
 * a thread that dies fails what it held as retryable (the writer backs off and retries, or spills)
 * and a new one is started.
 */
export function openCallLogThread(options: CallLogThreadOptions): CallLogThread {
  const { logger } = options;
  const entry = callLogWorkerEntry();
  const workerData: CallLogWorkerData = {
    url: options.url,
    poolMax: options.poolMax ?? 2,
    ...(options.mergeIntervalMs === undefined ? {} : { mergeIntervalMs: options.mergeIntervalMs }),
  };
  const restartDelayMs = options.restartDelayMs ?? 5_000;
  const pending = new Map<number, Pending>();
  let worker: Worker | undefined;
  let nextId = 1;
  let starts = 0;
  let closed = false;
  let restartTimer: NodeJS.Timeout | undefined;
  // The process stays alive while a request waits for its answer, and only then: threads are unref'd
  // (the worker's own ref() was measured not to be enough: a gateway draining its call log while the
  // thread failed to connect exited 0 with batches outstanding).
  let keepAlive: NodeJS.Timeout | undefined;
  const holdWhilePending = () => {
    if (pending.size > 0) keepAlive ??= setInterval(() => undefined, 1 << 30);
    else if (keepAlive !== undefined) {
      clearInterval(keepAlive);
      keepAlive = undefined;
    }
  };
  // Merge counts of threads that ended, and those of the running one.
  let earlier = ZERO;
  let current = ZERO;

  const start = (): Worker => {
    const thread = new Worker(entry.url, { workerData, ...(entry.execArgv ? { execArgv: entry.execArgv } : {}) });
    thread.unref();
    starts += 1;
    let failure: unknown;
    thread.on("message", (reply: CallLogReply) => {
      if (reply.type === "mergeStats") current = reply.stats;
      else if (reply.type === "log") logger?.[reply.level](reply.object, reply.message);
      else settle(reply);
    });
    thread.on("error", (error) => {
      failure = error;
    });
    thread.on("exit", (code) => {
      if (worker === thread) worker = undefined;
      earlier = add(earlier, current);
      current = ZERO;
      const reason = `the call log thread stopped (exit code ${code})${failure === undefined ? "" : `: ${rootCauseMessage(failure)}`}`;
      if (pending.size > 0 || !closed) logger?.warn({ err: reason, pending: pending.size }, "call log thread stopped; what it was writing is retried");
      for (const [id, waiter] of pending) {
        pending.delete(id);
        waiter.reject(new CallWriteError(reason, { retryable: true }));
      }
      holdWhilePending();
      if (!closed && restartTimer === undefined) {
        restartTimer = setTimeout(() => {
          restartTimer = undefined;
          if (!closed && worker === undefined) worker = start();
        }, restartDelayMs);
        restartTimer.unref();
      }
    });
    return thread;
  };

  const settle = (reply: Exclude<CallLogReply, Reply<"mergeStats"> | Reply<"log">>) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    holdWhilePending();
    if (reply.type === "failed") waiter.reject(rebuildWriteError(reply.error));
    else waiter.resolve(reply);
  };

  /** Posts a request; throws at once when the message cannot be cloned (DataCloneError). */
  const request = <T extends CallLogReply["type"]>(message: CallLogRequest): Promise<Reply<T>> => {
    worker ??= start();
    const thread = worker;
    thread.postMessage(message);
    const answer = new Promise<CallLogReply>((resolve, reject) => pending.set(message.id, { resolve, reject })) as Promise<Reply<T>>;
    holdWhilePending();
    return answer;
  };

  const writeBatch = async (records: readonly CallRecord[]): Promise<BatchOutcome> => {
    if (closed) throw new CallWriteError("the call log thread is closed", { retryable: true });
    let sendable = records;
    const unsendable: RejectedCall[] = [];
    try {
      return outcomeOf(records, await request<"written">({ type: "write", id: nextId++, records }), unsendable);
    } catch (error) {
      // Cloning a batch throws before anything is sent (DataCloneError, or RangeError for nesting too deep).
      if (CallWriteError.isInstance(error)) throw error;
    }
    // A record that cannot be cloned (a function in its metadata, nesting too deep) is at fault, never its batch.
    sendable = records.filter((record) => {
      try {
        structuredClone(record);
        return true;
      } catch (error) {
        unsendable.push({ record, error: new CallWriteError(`call ${String(record?.id)} cannot be sent to the call log thread: ${rootCauseMessage(error)}`, { cause: error, callId: String(record?.id), retryable: false }) });
        return false;
      }
    });
    return outcomeOf(sendable, await request<"written">({ type: "write", id: nextId++, records: sendable }), unsendable);
  };

  const rollupMerger: RollupMerger = {
    mergeAll: async (): Promise<MergeOutcome> => (await request<"merged">({ type: "merge", id: nextId++ })).outcome,
    async close() {
      if (closed) return;
      closed = true;
      if (restartTimer !== undefined) clearTimeout(restartTimer);
      try {
        // A thread that died is started again for the last merge.
        await request<"closed">({ type: "close", id: nextId++ });
      } catch (error) {
        logger?.warn({ err: rootCauseMessage(error) }, "last rollup merge failed; increments stay for the next start");
      }
      await worker?.terminate();
    },
    stats: () => add(earlier, current),
  };

  // At once: the merger runs on its timer in the thread.
  worker = start();

  return {
    writeBatch,
    rollupMerger,
    terminate: async () => {
      await worker?.terminate();
    },
    starts: () => starts,
  };
}

function outcomeOf(records: readonly CallRecord[], reply: Reply<"written">, unsendable: RejectedCall[]): BatchOutcome {
  const rejected = [...unsendable];
  for (const item of reply.rejected) {
    const record = records[item.index];
    if (record) rejected.push({ record, error: rebuildWriteError(item.error) });
  }
  return { inserted: reply.inserted, rejected };
}
