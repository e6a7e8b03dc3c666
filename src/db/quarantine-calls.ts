import type { CallRecord } from "../core/index.js";
import type { CallLogLogger } from "./call-log-writer-spec.js";
import type { CallSpillStore } from "./call-spill-store.js";
import { rootCauseMessage } from "./call-write-error.js";
import { quarantineLine } from "./quarantine-line.js";

export interface QuarantineCallsOptions {
  spill: CallSpillStore | undefined;
  logger: CallLogLogger | undefined;
  now: () => number;
}

/**
 * Keeps records that can never be stored: in the quarantine file, or — without a spill directory,
 * or when that write fails — in the log itself, one safe line per record. Never throws, so a bad
 * record cannot stop the records behind it.
 */
export async function quarantineCalls(options: QuarantineCallsOptions, rejected: ReadonlyArray<{ record: CallRecord; error: unknown }>): Promise<void> {
  if (rejected.length === 0) return;
  const { spill, logger, now } = options;
  logger?.error(
    { ids: rejected.map((item) => String(item.record?.id)), err: rootCauseMessage(rejected[0]?.error) },
    "call records that can never be stored were quarantined",
  );
  const lines = () => rejected.map((item) => quarantineLine(item.record, item.error, new Date(now())));
  if (!spill) {
    logger?.error({ records: lines() }, "quarantined call records (no spill directory to keep them)");
    return;
  }
  try {
    await spill.quarantine(rejected);
  } catch (error) {
    logger?.error({ err: rootCauseMessage(error), records: lines() }, "cannot write the call quarantine file; the records are in this log line");
  }
}
