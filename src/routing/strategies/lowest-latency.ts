import type { Candidate, Strategy } from "./strategy.js";

/**
 * Power of two choices over peak-EWMA cost (latency × (in flight + 1)): two random candidates,
 * the cheaper wins. A deployment without samples costs 0, so new ones get explored, and one slow
 * sample cannot starve a deployment because it still wins whenever it is paired with a slower one.
 * Streams compare time to first token when known.
 */
export const lowestLatency: Strategy = (candidates, { random }) => {
  if (candidates.length === 1) return candidates[0]!;
  const a = candidates[Math.floor(random() * candidates.length)]!;
  let b = candidates[Math.floor(random() * (candidates.length - 1))]!;
  if (b === a) b = candidates[candidates.length - 1]!;
  return cost(a) <= cost(b) ? a : b;
};

function cost(candidate: Candidate): number {
  const state = candidate.state;
  const latency = state.ewmaTtftMs ?? state.ewmaLatencyMs ?? 0;
  return latency * (state.inFlight + 1);
}
