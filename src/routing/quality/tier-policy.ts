import type { RoutingDecision } from "../../core/call-record.js";
import type { AdaptiveThresholds } from "./adaptive-thresholds.js";
import type { AnswerCheck } from "./answer-checks.js";
import type { PromptScorer } from "./prompt-scorer.js";

/** Classifier routing: score the prompt once, pick the tier, route within it. */
export interface QualityPolicy {
  kind: "quality";
  /** Group names, cheapest first. */
  tiers: readonly string[];
  /** One per boundary, ascending: a score ≥ thresholds[i] goes above tier i. */
  thresholds: readonly number[];
  scorer: PromptScorer;
  /** Present when `quality.adapt` is set: feedback moves the thresholds, and routing uses its current ones. */
  adaptive?: AdaptiveThresholds;
}

/** Answer with the cheapest tier, check the answer, escalate on failure; the last tier's answer stands. */
export interface CascadePolicy {
  kind: "cascade";
  tiers: readonly string[];
  checks: readonly AnswerCheck[];
  /** A `score` check: a prompt scored at or above this goes straight to the top tier. */
  scoreAtMost?: number;
  /** Present when the cascade names a router or has a `score` check; the score is recorded either way. */
  scorer?: PromptScorer;
}

export type TierPolicy = QualityPolicy | CascadePolicy;

export type { RoutingDecision };
