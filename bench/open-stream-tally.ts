/**
 * The accounting of a concurrent-streams run, as the client sees it: a stream is open from its
 * response headers (the gateway sends them with the first token) to the end of its body.
 */
export class OpenStreamTally {
  /** Streams open now, and the most at once. */
  now = 0;
  peak = 0;
  /** Streams that ever opened, and those that ended (completed or failed, opened or not). */
  opened = 0;
  settled = 0;
  /** Streams that ended without opening (refused, failed before their first token). */
  unopenedSettled = 0;
  /** performance.now() of the last open. */
  lastOpenAt = 0;

  constructor(readonly streams: number) {}

  open(at: number): void {
    this.opened++;
    this.lastOpenAt = at;
    this.peak = Math.max(this.peak, ++this.now);
  }

  /** A stream ended; `wasOpen` when its headers had arrived. */
  settle(wasOpen: boolean): void {
    this.settled++;
    if (wasOpen) this.now--;
    else this.unopenedSettled++;
  }

  /**
   * Why held streams should be released now, or undefined to keep holding: every stream is open (or
   * ended: one that failed will not open), or none has opened for `stallMs` once some have (the rest
   * wait for something that only the release frees, such as an upstream connection), or the hold
   * has lasted `maxHoldMs`.
   */
  releaseReason(at: number, startedAt: number, stallMs: number, maxHoldMs: number): "all open" | "stalled" | "too long" | undefined {
    if (this.now + this.settled >= this.streams) return "all open";
    if (this.opened > 0 && at - this.lastOpenAt >= stallMs) return "stalled";
    if (at - startedAt >= maxHoldMs) return "too long";
    return undefined;
  }
}

/** Resident memory per open stream: what the peak added over idle, over the most streams open at once (kB). */
export function perOpenStreamKb(idleKb: number, peakKb: number, maxOpen: number): number {
  return maxOpen > 0 ? (peakKb - idleKb) / maxOpen : Number.NaN;
}
