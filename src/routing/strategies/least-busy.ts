import type { Candidate, Strategy } from "./strategy.js";
import { weightedPick } from "./weighted.js";

/** Fewest requests in flight; ties broken by weight. */
export const leastBusy: Strategy = (candidates, { random }) => {
  let least = Infinity;
  let best: Candidate[] = [];
  for (const c of candidates) {
    if (c.snapshot.inFlight < least) {
      least = c.snapshot.inFlight;
      best = [c];
    } else if (c.snapshot.inFlight === least) best.push(c);
  }
  return weightedPick(best, random);
};
