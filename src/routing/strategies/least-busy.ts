import type { Candidate, Strategy } from "./strategy.js";
import { weightedPick } from "./weighted.js";

/** Fewest requests in flight; ties broken by weight. */
export const leastBusy: Strategy = (candidates, { random }) => {
  let least = Infinity;
  let best: Candidate[] = [];
  for (const c of candidates) {
    if (c.state.inFlight < least) {
      least = c.state.inFlight;
      best = [c];
    } else if (c.state.inFlight === least) best.push(c);
  }
  return weightedPick(best, random);
};
