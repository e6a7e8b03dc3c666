import type { Strategy } from "./strategy.js";

/** Each eligible deployment in turn. */
export const roundRobin: Strategy = (candidates, { turn }) => candidates[turn % candidates.length]!;
