import { leastBusy } from "./least-busy.js";
import { lowestCost } from "./lowest-cost.js";
import { lowestLatency } from "./lowest-latency.js";
import { mostHeadroom } from "./most-headroom.js";
import { roundRobin } from "./round-robin.js";
import type { Strategy } from "./strategy.js";
import { weighted } from "./weighted.js";

export type { Candidate, Strategy, StrategyContext } from "./strategy.js";

/**
 * Strategy names as in the config (`strategy:` of a model group). No prototype: a client's
 * `routing.strategy` is looked up here, and "valueOf" or "constructor" must be unknown names.
 */
export const STRATEGY_TABLE: Readonly<Record<string, Strategy>> = Object.assign(Object.create(null) as Record<string, Strategy>, {
  weighted,
  "round-robin": roundRobin,
  "least-busy": leastBusy,
  latency: lowestLatency,
  usage: mostHeadroom,
  cost: lowestCost,
});
