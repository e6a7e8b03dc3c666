import { summarizeLatencies, type LatencySummary } from "./latency-stats.js";

/**
 * Latency samples of one run in a Float64Array allocated up front (the run's request count), so
 * recording a sample allocates nothing and adds no garbage to the load generator's heap; it grows
 * by doubling only if more samples come than were planned for.
 */
export class LatencySamples {
  private values: Float64Array;
  private size = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(Math.max(1, Math.ceil(capacity)));
  }

  get count(): number {
    return this.size;
  }

  add(ms: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = ms;
  }

  /** Nearest-rank percentiles of what was added (summarizeLatencies). */
  summary(): LatencySummary {
    return summarizeLatencies(this.values.subarray(0, this.size));
  }
}
