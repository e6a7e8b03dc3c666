import type { RollupMergerStats } from "./rollup-merger.js";
import type { MergeOutcome } from "./merge-rollup-deltas.js";
import { CallWriteError, rootCauseMessage } from "./call-write-error.js";

/** What the call log thread is started with (workerData). */
export interface CallLogWorkerData {
  /** The Postgres URL the server's own pool uses (ssl settings included). */
  url: string;
  poolMax: number;
  /** The rollup merger's pause between rounds. */
  mergeIntervalMs?: number;
}

/** A CallWriteError as plain data: errors cross the thread boundary as this and are rebuilt on the other side. */
export interface WriteErrorData {
  message: string;
  retryable: boolean;
  callId?: string;
  sqlState?: string;
}

/** Main thread → call log thread. `id` pairs each request with its answer. */
export type CallLogRequest =
  | { type: "write"; id: number; records: readonly unknown[] }
  | { type: "merge"; id: number }
  | { type: "close"; id: number };

/** Call log thread → main thread. */
export type CallLogReply =
  | { type: "written"; id: number; inserted: number; rejected: Array<{ index: number; error: WriteErrorData }> }
  | { type: "merged"; id: number; outcome: MergeOutcome }
  | { type: "closed"; id: number }
  | { type: "failed"; id: number; error: WriteErrorData }
  | { type: "mergeStats"; stats: RollupMergerStats }
  | { type: "log"; level: "warn" | "error"; object: Record<string, unknown>; message?: string };

export function writeErrorData(error: unknown): WriteErrorData {
  const failure = CallWriteError.from(error);
  return {
    message: failure.message,
    retryable: failure.retryable,
    ...(failure.callId === undefined ? {} : { callId: failure.callId }),
    ...(failure.sqlState === undefined ? {} : { sqlState: failure.sqlState }),
  };
}

/** The CallWriteError again, with its classification and SQLSTATE as decided in the thread that saw the driver's error. */
export function rebuildWriteError(data: WriteErrorData): CallWriteError {
  const cause = data.sqlState === undefined ? undefined : Object.assign(new Error(data.message), { code: data.sqlState });
  return new CallWriteError(data.message, { retryable: data.retryable, ...(cause ? { cause } : {}), ...(data.callId === undefined ? {} : { callId: data.callId }) });
}

/** Log fields made cloneable: errors become their root cause's message. */
export function plainLogObject(object: object): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) plain[key] = value instanceof Error ? rootCauseMessage(value) : value;
  return plain;
}
