import type { Candidate, Strategy } from "./strategy.js";
import { weightedPick } from "./weighted.js";

/**
 * The deployment furthest from its rate limits: the smaller of its request and token headroom,
 * from our own per-minute counters against the configured rpm/tpm and from the provider's
 * remaining-requests/tokens headers. Deployments without limits count as fully free.
 */
export const mostHeadroom: Strategy = (candidates, { random, promptTokens }) => {
  let best: Candidate[] = [];
  let bestScore = -Infinity;
  for (const c of candidates) {
    const score = headroom(c, promptTokens);
    if (score > bestScore + 1e-9) {
      bestScore = score;
      best = [c];
    } else if (Math.abs(score - bestScore) <= 1e-9) best.push(c);
  }
  return weightedPick(best, random);
};

function headroom({ deployment, state }: Candidate, promptTokens: number): number {
  // A running minimum rather than Math.min over an array: this runs for every candidate of every pick.
  let least = 1;
  if (deployment.rpm) least = Math.min(least, 1 - (state.rpmUsed + 1) / deployment.rpm);
  if (deployment.tpm) least = Math.min(least, 1 - (state.tpmUsed + promptTokens) / deployment.tpm);
  const h = state.headroom;
  if (h?.limitRequests && h.remainingRequests !== undefined) least = Math.min(least, h.remainingRequests / h.limitRequests);
  if (h?.limitTokens && h.remainingTokens !== undefined) least = Math.min(least, (h.remainingTokens - promptTokens) / h.limitTokens);
  return least;
}
