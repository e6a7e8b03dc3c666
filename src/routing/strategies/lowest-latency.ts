import type { Candidate, Strategy } from "./strategy.js";

/**
 * Power of two choices over peak-EWMA cost (latency × (in flight + 1)): two random candidates,
 * the cheaper wins. A deployment without samples costs 0, so new ones get explored, and one slow
 * sample cannot starve a deployment because it still wins whenever it is paired with a slower one.
 * Streams compare time to first token when known.
 */
export const lowestLatency: Strategy = (candidates, { random, now }) => {
  if (candidates.length === 1) return candidates[0]!;
  const i = Math.floor(random() * candidates.length);
  let j = Math.floor(random() * (candidates.length - 1));
  if (j >= i) j++;
  const a = candidates[i]!;
  const b = candidates[j]!;
  return cost(a, now) <= cost(b, now) ? a : b;
};

/** Idle estimates fade (half-life about 7 s), so a deployment that got no traffic after a slow spell is tried again. */
const FADE_MS = 10_000;

function cost(candidate: Candidate, now: number | undefined): number {
  const state = candidate.state;
  const latency = state.ewmaTtftMs ?? state.ewmaLatencyMs ?? 0;
  const faded = now === undefined ? latency : latency * Math.exp(-Math.max(0, now - state.lastSampleAt) / FADE_MS);
  return faded * (state.inFlight + 1);
}
