import type { CallLogState } from "./call-log-writer-spec.js";

export type { CallLogState } from "./call-log-writer-spec.js";

/** The moves the writer may make; anything else is a bug, logged and made anyway (the log must go on). */
export const CALL_LOG_TRANSITIONS: Readonly<Record<CallLogState, readonly CallLogState[]>> = {
  buffering: ["flushing", "replaying", "draining"],
  flushing: ["buffering", "replaying", "backingOff", "draining"],
  replaying: ["buffering", "flushing", "backingOff", "draining"],
  backingOff: ["flushing", "replaying", "draining"],
  draining: ["spilling", "closed"],
  spilling: ["closed"],
  closed: [],
};

export const isCallLogTransition = (from: CallLogState, to: CallLogState): boolean => from === to || CALL_LOG_TRANSITIONS[from].includes(to);
