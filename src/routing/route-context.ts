import type { Finish, RoutingDecision, Usage } from "../core/index.js";
import type { Attempt } from "./attempt.js";
import type { Deployment, ModelGroup } from "./model-group.js";

export interface RouteContext {
  signal?: AbortSignal;
  /** Overrides the group's overall deadline. */
  timeoutMs?: number;
  /** Estimated prompt tokens, for the context-window pre-check and the cost strategy. */
  promptTokens?: number;
  /** A number of tokens the prompt cannot exceed; when it fits a window, no counting is needed. */
  promptTokenBound?: number;
  /** The exact count, computed on demand (only for prompts near a context window). */
  countPromptTokens?: () => number;
  /** Per-request overrides of the group's strategy and fallback chain. */
  strategy?: string;
  fallbacks?: string[];
  /** Skip deployments whose expected cost (prompt + maxTokens or a default output) is above this, in pico-USD. */
  maxCostPico?: number;
  /** The caller has a budget: skip deployments with no known price (unless the config allows them), as their cost could not be charged. */
  pricedOnly?: boolean;
  /** A quality group's thresholds for this request (`routing.threshold`), one per boundary. */
  thresholds?: number[];
  /** Told where a quality or cascade group sends the call, before the tier is called (so a failed call knows it too). */
  onDecision?(decision: RoutingDecision): void;
  /** Told of each cascade answer that failed its checks, before the next tier is tried: a call of its own. */
  onEscalation?(answer: EscalatedAnswer): void;
}

/** A cheaper tier's answer that a cascade did not keep: it was paid for, so it is recorded and billed. */
export interface EscalatedAnswer {
  group: ModelGroup;
  deployment: Deployment;
  attempts: Attempt[];
  decision: RoutingDecision;
  streamed: boolean;
  /** The provider model that answered. */
  model: string;
  finish: Finish;
  /** Absent when a stream ended without usage. */
  usage?: Usage;
  text: string;
  latencyMs: number;
  ttftMs: number;
}
