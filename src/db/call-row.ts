import type { AttemptRecord, CallRecord } from "../core/index.js";

/** A stored call as read back: CallRecord with the exact numeric cost instead of pico-USD; attempts are loaded separately. */
export type CallRow = Omit<CallRecord, "costPico" | "attempts"> & {
  /** `cost_usd` as Postgres prints it, e.g. "0.000000150000": exact, never a float. */
  costUsd: string;
};

/** A stored attempt as read back; errorKind is whatever text the row holds. */
export type AttemptRow = Omit<AttemptRecord, "costPico" | "errorKind"> & {
  callId: string;
  errorKind: string | null;
  costUsd: string;
};

export type CallWithAttempts = CallRow & { attempts: AttemptRow[] };
