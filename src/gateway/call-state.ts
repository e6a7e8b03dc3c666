import type { CallRecord } from "../core/index.js";
import type { CallTrace } from "../telemetry/tracing.js";
import type { CallTicket } from "./completion-types.js";

/**
 * One call as the completion service carries it from admission to its row: the record, and what
 * finishing it settles, ends and tells. Made once per call and passed along instead of looked up
 * by record (records are spread-copied into rows of their own, so nothing can ride on them).
 * finish() takes `ticket`, `trace` and `onRecorded` off as it uses them: a call is settled once.
 */
export interface CallState {
  readonly record: CallRecord;
  /** Governance's hold on the call (budget reservation, rate-limit slot); absent when nothing limits it. */
  ticket: CallTicket | undefined;
  trace: CallTrace | undefined;
  /** Told the row once it is recorded (the HTTP request's log line). */
  onRecorded: ((call: CallRecord) => void) | undefined;
  /** What the call's escalated answers (rows of their own) cost: settled with the call. */
  escalatedCostPico: bigint;
  escalatedTokens: number;
}

export function newCallState(record: CallRecord, trace: CallTrace | undefined, onRecorded: ((call: CallRecord) => void) | undefined): CallState {
  return { record, ticket: undefined, trace, onRecorded, escalatedCostPico: 0n, escalatedTokens: 0 };
}
