/**
 * Successes and failures over a sliding window, in one-second buckets: O(1) to record,
 * O(buckets) to read, fixed memory whatever the traffic.
 */
export class OutcomeCounter {
  private readonly seconds: Float64Array;
  private readonly ok: Uint32Array;
  private readonly failed: Uint32Array;

  constructor(private readonly windowMs: number) {
    const size = Math.max(1, Math.ceil(windowMs / 1000));
    this.seconds = new Float64Array(size).fill(-1);
    this.ok = new Uint32Array(size);
    this.failed = new Uint32Array(size);
  }

  record(at: number, success: boolean): void {
    const second = Math.floor(at / 1000);
    const slot = second % this.seconds.length;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.ok[slot] = 0;
      this.failed[slot] = 0;
    }
    if (success) this.ok[slot]!++;
    else this.failed[slot]!++;
  }

  /** Counts within the window ending at `at`. */
  read(at: number): { attempts: number; failures: number } {
    const oldest = Math.floor((at - this.windowMs) / 1000);
    let attempts = 0;
    let failures = 0;
    for (let i = 0; i < this.seconds.length; i++) {
      if (this.seconds[i]! > oldest) {
        attempts += this.ok[i]! + this.failed[i]!;
        failures += this.failed[i]!;
      }
    }
    return { attempts, failures };
  }
}
