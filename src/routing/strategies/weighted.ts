import type { Candidate, Strategy } from "./strategy.js";

/** Weighted random choice (the default). */
export const weighted: Strategy = (candidates, { random }) => weightedPick(candidates, random);

export function weightedPick(candidates: readonly Candidate[], random: () => number): Candidate {
  if (candidates.length === 1) return candidates[0]!;
  let total = 0;
  for (const c of candidates) total += c.deployment.weight;
  let point = random() * total;
  for (const c of candidates) {
    point -= c.deployment.weight;
    if (point < 0) return c;
  }
  return candidates[candidates.length - 1]!;
}
