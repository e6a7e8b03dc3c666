import { GatewayError, ProviderError, type ChatEvent, type ChatRequest, type RoutingDecision } from "../../core/index.js";
import { AllDeploymentsFailedError } from "../all-deployments-failed-error.js";
import { heldEvents } from "../attempt-event-stream.js";
import type { RouteContext } from "../route-context.js";
import type { RoutedResponse, RoutedStream } from "../router.js";
import type { ModelGroup } from "../model-group.js";
import { firstFailure } from "./answer-checks.js";
import { chooseTier, showScore, thresholdProblem } from "./choose-tier.js";
import type { CascadePolicy, QualityPolicy, TierPolicy } from "./tier-policy.js";

/** The router's own paths for a plain group: a tier is routed exactly like a group asked for by name. */
export interface TierRoutes {
  complete(tier: ModelGroup, request: ChatRequest, context: RouteContext): Promise<RoutedResponse>;
  stream(tier: ModelGroup, request: ChatRequest, context: RouteContext): Promise<RoutedStream>;
  findGroup(name: string): ModelGroup | undefined;
  now(): number;
}

type Finished = Extract<ChatEvent, { type: "finish" }>;

export async function completeOverTiers(policy: TierPolicy, request: ChatRequest, context: RouteContext, routes: TierRoutes): Promise<RoutedResponse> {
  if (policy.kind === "quality") {
    const { index, decision } = decideQuality(policy, request, context);
    const served = await upToServingTier(policy, index, decision, context, routes, (tier) => routes.complete(tier, request, context));
    return { ...served.value, decision: served.decision };
  }
  const plan = planCascade(policy, request, context);
  const remaining = sharedDeadline(context, routes);
  for (let i = plan.start; ; i++) {
    const started = routes.now();
    const served = await upToServingTier(policy, i, cascadeDecision(policy, plan, i), context, routes, (tier) => routes.complete(tier, request, remaining(request.model)));
    const { value: routed, decision } = served;
    i = served.index;
    if (i === policy.tiers.length - 1) return { ...routed, decision };
    const text = routed.response.message.content ?? "";
    const failure = firstFailure(policy.checks, text);
    if (failure === undefined) return { ...routed, decision: { ...decision, reason: "checks passed" } };
    const latencyMs = routes.now() - started;
    context.onEscalation?.({
      group: routed.group,
      deployment: routed.deployment,
      attempts: routed.attempts,
      decision: { ...decision, reason: failure },
      streamed: false,
      model: routed.response.model || routed.deployment.model,
      finish: routed.response.finish,
      usage: routed.response.usage,
      text,
      latencyMs,
      ttftMs: latencyMs,
    });
    plan.reason = `escalated from ${decision.tier}: ${failure}`;
  }
}

/**
 * A streamed cascade holds each cheaper answer until its checks pass, then replays it; on failure
 * the answer is reported (a call of its own) and the next tier streams. The consumer's first
 * event therefore comes when the answer it will see is known: the wait it really had.
 */
export async function streamOverTiers(policy: TierPolicy, request: ChatRequest, context: RouteContext, routes: TierRoutes): Promise<RoutedStream> {
  if (policy.kind === "quality") {
    const { index, decision } = decideQuality(policy, request, context);
    const served = await upToServingTier(policy, index, decision, context, routes, (tier) => routes.stream(tier, request, context));
    return { ...served.value, decision: served.decision };
  }
  const plan = planCascade(policy, request, context);
  const remaining = sharedDeadline(context, routes);
  for (let i = plan.start; ; i++) {
    const started = routes.now();
    const served = await upToServingTier(policy, i, cascadeDecision(policy, plan, i), context, routes, (tier) => routes.stream(tier, request, remaining(request.model)));
    const { value: routed, decision } = served;
    i = served.index;
    if (i === policy.tiers.length - 1) return { ...routed, decision };
    const ttftMs = routes.now() - started;
    const held = await hold(routed, request.model, context.signal);
    const failure = firstFailure(policy.checks, held.text);
    if (failure === undefined) return { ...routed, events: heldEvents(held.events), decision: { ...decision, reason: "checks passed" } };
    const answered = routed.attempts[routed.attempts.length - 1];
    if (answered) answered.latencyMs = routes.now() - answered.startedAtMs;
    context.onEscalation?.({
      group: routed.group,
      deployment: routed.deployment,
      attempts: routed.attempts,
      decision: { ...decision, reason: failure },
      streamed: true,
      model: held.finish.model || routed.deployment.model,
      finish: held.finish.finish,
      ...(held.finish.usage ? { usage: held.finish.usage } : {}),
      text: held.text,
      latencyMs: routes.now() - started,
      ttftMs,
    });
    plan.reason = `escalated from ${decision.tier}: ${failure}`;
  }
}

/**
 * A request's own deadline (`timeoutMs`) covers the whole cascade: each tier gets what is left.
 * Without one, each tier has its group's deadline, as a call to that group would.
 */
function sharedDeadline(context: RouteContext, routes: TierRoutes): (model: string) => RouteContext {
  if (context.timeoutMs === undefined) return () => context;
  const deadline = routes.now() + context.timeoutMs;
  return (model) => {
    const left = deadline - routes.now();
    if (left <= 0) throw new AllDeploymentsFailedError(model, [], "TIMEOUT");
    return { ...context, timeoutMs: left };
  };
}

function tierGroup(name: string, routes: TierRoutes): ModelGroup {
  const group = routes.findGroup(name);
  // The config check makes every tier a known plain group; this is a broken wiring, not bad input.
  if (!group) throw new GatewayError("INTERNAL", `tier "${name}" is not a model group`);
  return group;
}

function decideQuality(policy: QualityPolicy, request: ChatRequest, context: RouteContext) {
  const thresholds = context.thresholds ?? policy.adaptive?.current() ?? policy.thresholds;
  if (context.thresholds) {
    const problem = thresholdProblem(context.thresholds, policy.tiers.length);
    if (problem) throw new GatewayError("BAD_USER_INPUT", `routing.threshold: ${problem}`, { field: "routing.threshold" });
  }
  const score = policy.scorer.score(request.messages);
  const choice = chooseTier(thresholds, score);
  const decision: RoutingDecision = { policy: "quality", score, threshold: choice.threshold, tier: policy.tiers[choice.index]!, reason: choice.reason };
  return { index: choice.index, decision };
}

/** The router's pre-call check refused every group reachable from a tier, before any provider was called. */
function cannotServe(error: unknown): boolean {
  if (!GatewayError.isInstance(error) || error.code !== "BAD_USER_INPUT") return false;
  const kind = error.details.errorKind;
  return kind === "context_window" || kind === "unsupported_feature";
}

/**
 * Calls tier `index`; when no group reachable from it can serve the request (the prompt is too
 * long for it, or it lacks tools or JSON-schema support), the next tier up is tried instead — the
 * cheapest tier that can answer — and the decision says why. The decision is told before each call.
 */
async function upToServingTier<T>(
  policy: TierPolicy,
  index: number,
  decision: RoutingDecision,
  context: RouteContext,
  routes: TierRoutes,
  call: (tier: ModelGroup) => Promise<T>,
): Promise<{ value: T; index: number; decision: RoutingDecision }> {
  for (let i = index; ; i++) {
    const tier = tierGroup(policy.tiers[i]!, routes);
    context.onDecision?.(decision);
    try {
      return { value: await call(tier), index: i, decision };
    } catch (error) {
      if (i === policy.tiers.length - 1 || !cannotServe(error)) throw error;
      const next = policy.tiers[i + 1]!;
      decision = { ...decision, tier: next, reason: `${decision.reason}; ${tier.name} cannot serve the request (${String((error as GatewayError).details.errorKind)}), so ${next}` };
    }
  }
}

interface CascadePlan {
  score: number | null;
  start: number;
  /** Why the next tier is tried; undefined for the first tier of an ordinary start. */
  reason?: string;
}

function planCascade(policy: CascadePolicy, request: ChatRequest, context: RouteContext): CascadePlan {
  if (context.thresholds) {
    throw new GatewayError("BAD_USER_INPUT", "routing.threshold: applies to a quality group; a cascade's threshold is its score check", { field: "routing.threshold" });
  }
  const score = policy.scorer ? policy.scorer.score(request.messages) : null;
  if (score !== null && policy.scoreAtMost !== undefined && score >= policy.scoreAtMost) {
    const top = policy.tiers[policy.tiers.length - 1]!;
    return { score, start: policy.tiers.length - 1, reason: `check score failed: ${showScore(score)} ≥ ${showScore(policy.scoreAtMost)}, straight to ${top}` };
  }
  return { score, start: 0 };
}

function cascadeDecision(policy: CascadePolicy, plan: CascadePlan, i: number): RoutingDecision {
  const last = i === policy.tiers.length - 1;
  return {
    policy: "cascade",
    score: plan.score,
    threshold: policy.scoreAtMost ?? null,
    tier: policy.tiers[i]!,
    reason: plan.reason ?? (last ? "the top tier's answer stands" : "the cheapest tier first"),
  };
}

/** Reads a cheaper tier's whole answer; a failure after its first event ends the call with the attempts kept. */
async function hold(routed: RoutedStream, model: string, signal: AbortSignal | undefined): Promise<{ events: ChatEvent[]; text: string; finish: Finished }> {
  const events: ChatEvent[] = [];
  let text = "";
  let finish: Finished | undefined;
  try {
    // Read to the end (not just to `finish`), so the attempt ends as a clean success.
    for await (const event of routed.events) {
      events.push(event);
      // The first choice is the one scored when several were asked for.
      if (event.type === "text-delta" && !event.choice) text += event.text;
      else if (event.type === "finish") finish = event;
    }
  } catch (error) {
    const last = routed.attempts[routed.attempts.length - 1];
    if (last) {
      last.outcome = signal?.aborted ? "CANCELLED" : "ERROR";
      if (ProviderError.isInstance(error)) last.error = error;
    }
    throw new AllDeploymentsFailedError(model, routed.attempts, signal?.aborted ? "CANCELLED" : "ALL_DEPLOYMENTS_FAILED");
  }
  if (!finish) {
    throw new ProviderError({ kind: "invalid_response", provider: routed.deployment.provider, message: "the stream ended without a finish" });
  }
  return { events, text, finish };
}
