/**
 * A latency average that jumps up at once on a slow sample and decays back slowly (peak-EWMA,
 * as in Finagle and Linkerd), so a deployment that just slowed down loses traffic immediately,
 * while one slow sample on a fast deployment only costs it briefly.
 */
export function updatePeakEwma(previous: number | undefined, sample: number, elapsedMs: number, decayMs = 10_000): number {
  if (previous === undefined || sample > previous) return sample;
  const weight = Math.exp(-Math.max(0, elapsedMs) / decayMs);
  return previous * weight + sample * (1 - weight);
}
