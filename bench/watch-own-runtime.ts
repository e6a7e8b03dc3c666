import { type PerformanceEntry, PerformanceObserver, constants, monitorEventLoopDelay } from "node:perf_hooks";

/** What this process's own event loop and GC did over a window: the load generator's stalls. */
export interface OwnRuntime {
  /** How late a 1 ms timer ran (past its 1 ms), ms: p50, p99 and the longest. */
  loopDelay: { samples: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** Garbage-collection pauses: how many, their total and the longest (ms); `major` counts the full ones. */
  gc: { pauses: number; major: number; totalMs: number; maxMs: number };
}

/** Fine enough that a stall shows as late samples at the rate the generator itself ticks. */
const RESOLUTION_MS = 1;

/**
 * Starts watching this process's event-loop delay (perf_hooks.monitorEventLoopDelay) and GC pauses
 * (the 'gc' performance entries); `stop()` ends the window and returns what it saw. A request whose
 * answer arrives during a stall is read late by the stall's length, so these figures bound how much
 * of a run's tail the generator itself may have added.
 */
export function watchOwnRuntime(): { stop(): OwnRuntime } {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const gc = { pauses: 0, major: 0, totalMs: 0, maxMs: 0 };
  const count = (entry: PerformanceEntry): void => {
    gc.pauses++;
    gc.totalMs += entry.duration;
    gc.maxMs = Math.max(gc.maxMs, entry.duration);
    if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
  };
  const observer = new PerformanceObserver((list) => list.getEntries().forEach(count));
  observer.observe({ entryTypes: ["gc"] });
  return {
    stop() {
      delay.disable();
      // Entries still queued for the observer belong to the window.
      observer.takeRecords().forEach(count);
      observer.disconnect();
      const late = (nanos: number): number => (delay.count === 0 ? Number.NaN : Math.max(0, nanos / 1e6 - RESOLUTION_MS));
      return { loopDelay: { samples: delay.count, p50Ms: late(delay.percentile(50)), p99Ms: late(delay.percentile(99)), maxMs: late(delay.max) }, gc };
    },
  };
}
