import type { TierPolicy } from "../routing/quality/tier-policy.js";

/** What a feedback needs to know of the call it scores. */
export interface ScoredCall {
  requestedModel: string;
  routing?: { policy: string; score: number | null; tier: string } | null;
}

/**
 * The feedback service's hook into quality routing: a score on a call a quality group with
 * `adapt` routed moves that group's thresholds (the group is the one the call asked for, aliases
 * resolved). Returns whether a threshold moved; anything else is ignored.
 */
export function adaptThresholdsOnFeedback(policies: ReadonlyMap<string, TierPolicy>, resolveGroup: (model: string) => string | undefined) {
  return (call: ScoredCall, feedback: number): boolean => {
    if (call.routing?.policy !== "quality" || call.routing.score === null) return false;
    const name = resolveGroup(call.requestedModel);
    const policy = name === undefined ? undefined : policies.get(name);
    if (policy?.kind !== "quality" || !policy.adaptive) return false;
    return policy.adaptive.record({ tier: call.routing.tier, promptScore: call.routing.score, feedback });
  };
}
