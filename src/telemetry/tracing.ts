import type { CallRecord, ChatRequest } from "../core/index.js";

/** What is known of a call when it starts. */
export interface CallStart {
  request: ChatRequest;
  streamed: boolean;
}

/** The trace of one call: ended once, with the row the call log stores. */
export interface CallTrace {
  end(record: CallRecord): void;
}

/**
 * The tracing seam the completion service calls: one span per call, one child span per attempt.
 * `startCall` answers undefined when tracing is off, so a call pays nothing for it.
 */
export interface Tracing {
  startCall(start: CallStart): CallTrace | undefined;
}

/** Tracing off (the default). */
export const NO_TRACING: Tracing = { startCall: () => undefined };
