/**
 * The call log thread (a node:worker_threads worker, see open-call-log-thread.ts): writes the batches
 * the main thread posts with writeCallBatch, and runs the rollup merger, on a Postgres pool of its own.
 */
import { getPriority, setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import type { CallRecord } from "../core/index.js";
import { type CallLogReply, type CallLogRequest, type CallLogWorkerData, plainLogObject, writeErrorData } from "./call-log-thread-protocol.js";
import { openPostgres } from "./open-postgres.js";
import { createRollupMerger } from "./rollup-merger.js";
import { writeCallBatch } from "./write-call-batch.js";

const port = parentPort;
if (!port) throw new Error("call-log-worker.ts runs as a worker thread (open-call-log-thread.ts starts it)");
const data = workerData as CallLogWorkerData;

// Below the request thread for the scheduler: on Linux a thread's nice value is its own (pid 0 here
// is this thread), so when both want the same core the request thread runs first and a batch waits;
// what the thread falls behind by queues in the writer (which batches more, or spills) rather than
// in a request's latency. Ten steps: a tenth of the request thread's weight, not starved.
try {
  setPriority(Math.min(19, getPriority() + 10));
} catch {
  // A platform without per-thread priorities runs the thread at the process's.
}
const post = (reply: CallLogReply) => port.postMessage(reply);
const log = (level: "warn" | "error") => (object: object, message?: string) =>
  post({ type: "log", level, object: plainLogObject(object), ...(message === undefined ? {} : { message }) });
const logger = { warn: log("warn"), error: log("error") };

// Requests are taken at once and wait for the pool: a database that cannot be reached fails the
// thread (the main thread fails what it posted as retryable and starts a new thread).
const database = await openPostgres(data.url, { poolMax: data.poolMax, logger });
const merger = createRollupMerger({
  db: database.db,
  logger,
  ...(data.mergeIntervalMs === undefined ? {} : { intervalMs: data.mergeIntervalMs }),
  onRound: (stats) => post({ type: "mergeStats", stats }),
});

async function answer(request: CallLogRequest): Promise<CallLogReply> {
  switch (request.type) {
    case "write": {
      const records = request.records as CallRecord[];
      const outcome = await writeCallBatch(database.db, records);
      const index = new Map(records.map((record, at) => [record, at]));
      return {
        type: "written",
        id: request.id,
        inserted: outcome.inserted,
        rejected: outcome.rejected.map((item) => ({ index: index.get(item.record) ?? -1, error: writeErrorData(item.error) })),
      };
    }
    case "merge":
      return { type: "merged", id: request.id, outcome: await merger.mergeAll() };
    case "close":
      await merger.close();
      post({ type: "mergeStats", stats: merger.stats() });
      await database.close();
      return { type: "closed", id: request.id };
  }
}

port.on("message", (request: CallLogRequest) => {
  answer(request).then(post, (error: unknown) => post({ type: "failed", id: request.id, error: writeErrorData(error) }));
});
