/** The last `size` samples, with percentiles computed lazily and cached until the next sample. */
export class SampleWindow {
  private readonly buffer: Float64Array;
  private count = 0;
  private next = 0;
  private sorted: Float64Array | undefined;

  constructor(size = 256) {
    this.buffer = new Float64Array(size);
  }

  add(value: number): void {
    this.buffer[this.next] = value;
    this.next = (this.next + 1) % this.buffer.length;
    if (this.count < this.buffer.length) this.count++;
    this.sorted = undefined;
  }

  values(): Float64Array {
    return this.buffer.slice(0, this.count);
  }

  get size(): number {
    return this.count;
  }

  /** Nearest-rank percentile, q in (0, 1]; undefined when empty. */
  percentile(q: number): number | undefined {
    if (this.count === 0) return undefined;
    if (!this.sorted) this.sorted = this.buffer.slice(0, this.count).sort();
    const rank = Math.min(this.count - 1, Math.max(0, Math.ceil(q * this.count) - 1));
    return this.sorted[rank];
  }
}
