import { type PerformanceEntry, PerformanceObserver, constants, monitorEventLoopDelay } from "node:perf_hooks";
import { Histogram, type Registry } from "prom-client";

/** Fine enough to tell a 1 ms hiccup from a 20 ms one: the tail this gateway is judged on. */
const PAUSE_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1];

/** Node's own default: a stall of any length still shows as one late sample, at 100 wakeups a second. */
const RESOLUTION_MS = 10;

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};

export interface RuntimeMetrics {
  /** Stops the event-loop monitor and the GC observer. */
  stop(): void;
}

/**
 * The two things that stall every request at once, as cumulative histograms (a scraper or the
 * benchmark takes differences between two scrapes):
 *   - `switchyard_event_loop_delay_seconds`: how late the event loop ran a 10 ms timer, sampled by
 *     perf_hooks.monitorEventLoopDelay and folded into the histogram once a second and at each scrape;
 *   - `switchyard_gc_pause_seconds{kind}`: every garbage-collection pause, from the 'gc' performance
 *     entries (all of them: an observer callback may carry several).
 */
export function registerRuntimeMetrics(registry: Registry): RuntimeMetrics {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const loopDelay = new Histogram({
    name: "switchyard_event_loop_delay_seconds",
    help: "Event-loop delay: how late a 10 ms timer fired (sampled continuously, folded in once a second and at each scrape)",
    buckets: PAUSE_BUCKETS,
    registers: [registry],
    collect() {
      foldDelay(this, delay);
    },
  });
  const folding = setInterval(() => foldDelay(loopDelay, delay), 1_000);
  folding.unref();
  const gc = new Histogram({
    name: "switchyard_gc_pause_seconds",
    help: "Garbage-collection pauses by kind (minor, major, incremental, weakcb)",
    labelNames: ["kind"],
    buckets: PAUSE_BUCKETS,
    registers: [registry],
  });
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      gc.observe({ kind: GC_KINDS[kind ?? -1] ?? "other" }, entry.duration / 1000);
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  return {
    stop() {
      clearInterval(folding);
      delay.disable();
      observer.disconnect();
    },
  };
}

/**
 * Moves the monitor's samples into the histogram and starts the monitor afresh. The monitor keeps
 * an HDR histogram; its percentile table gives, for each recorded value, the share of samples at or
 * below it, so each value is observed as many times as it was sampled (about a hundred
 * observations a second on an idle loop, fewer on a busy one). The monitor records the time between
 * two runs of its timer, the resolution included (an idle loop reads 10.1 ms): the histogram gets what
 * is past the resolution, how late the timer ran, or every sample would sit in the 20 ms bucket.
 */
function foldDelay(histogram: Histogram, delay: ReturnType<typeof monitorEventLoopDelay>): void {
  const count = delay.count;
  if (count === 0) return;
  let counted = 0;
  for (const [percentile, nanos] of delay.percentiles) {
    const upTo = Math.round((percentile / 100) * count);
    const lateSeconds = Math.max(0, nanos / 1e9 - RESOLUTION_MS / 1000);
    for (; counted < upTo; counted++) histogram.observe(lateSeconds);
  }
  delay.reset();
}
