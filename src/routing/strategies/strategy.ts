import type { RoutingView } from "../health/health-types.js";
import type { Deployment } from "../model-group.js";

export interface Candidate {
  deployment: Deployment;
  state: RoutingView;
}

export interface StrategyContext {
  /** [0, 1) */
  random(): number;
  /** Estimated prompt tokens of this request. */
  promptTokens: number;
  /** Output tokens the request allows, when it says. */
  maxTokens?: number;
  /** A counter that grows by one per pick in this group (round-robin). */
  turn: number;
  /** The clock the states' timestamps use. */
  now?: number;
}

/** Picks one of a non-empty list of candidates. Pure: everything it reads is in its arguments. */
export type Strategy = (candidates: readonly Candidate[], context: StrategyContext) => Candidate;
