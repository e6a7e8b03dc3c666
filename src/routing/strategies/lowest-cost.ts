import type { Candidate, Strategy } from "./strategy.js";
import { weightedPick } from "./weighted.js";

/** Assumed output length when the request sets no maxTokens. */
export const DEFAULT_EXPECTED_OUTPUT_TOKENS = 256;

/** Cheapest expected cost: prompt tokens × input price + expected output tokens × output price. Unknown prices sort last. */
export const lowestCost: Strategy = (candidates, { random, promptTokens, maxTokens }) => {
  const output = maxTokens ?? DEFAULT_EXPECTED_OUTPUT_TOKENS;
  let best: Candidate[] = [];
  let bestCost = Infinity;
  for (const c of candidates) {
    const { inputPicoPerToken, outputPicoPerToken } = c.deployment;
    const cost = inputPicoPerToken === undefined || outputPicoPerToken === undefined
      ? Number.MAX_VALUE
      : promptTokens * inputPicoPerToken + output * outputPicoPerToken;
    if (cost < bestCost) {
      bestCost = cost;
      best = [c];
    } else if (cost === bestCost) best.push(c);
  }
  return weightedPick(best, random);
};
