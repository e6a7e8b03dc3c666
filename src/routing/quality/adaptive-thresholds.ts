/**
 * How recorded feedback moves a quality group's thresholds (config `quality.adapt`). Feedback
 * scores are the caller's own scale; `lowScore` and `highScore` say where "bad" and "good" are.
 */
export interface ThresholdAdaptation {
  /** How far one low score on a cheaper tier lowers the boundary above it. */
  step: number;
  /** How far one high score on a dearer tier, for a prompt scored near the boundary, raises it (slower than `step`). */
  raiseStep: number;
  /** No boundary goes below this… */
  min: number;
  /** …or above this. */
  max: number;
  /** A feedback score below this is a bad answer. */
  lowScore: number;
  /** A feedback score at or above this is a good answer. */
  highScore: number;
  /** "Near the boundary": a prompt score at most this far above it. */
  near: number;
}

/** One recorded feedback on a call the group routed. */
export interface TierFeedback {
  /** The tier that answered (the decision's tier). */
  tier: string;
  /** The router's score of the prompt. */
  promptScore: number;
  /** The caller's score of the answer. */
  feedback: number;
}

export interface AdaptiveThresholds {
  /** The thresholds the group routes with now, one per boundary, ascending. */
  current(): readonly number[];
  /** Moves a boundary when the feedback says it should; returns whether one moved. */
  record(feedback: TierFeedback): boolean;
}

/**
 * Thresholds that learn from feedback, within [min, max] and ascending:
 * - a cheaper tier's answer scored low means its prompt should have gone up: the boundary above
 *   that tier moves down by `step`, as long as it is still above the prompt's score (no further:
 *   the prompt would go up already);
 * - a dearer tier's answer scored high, for a prompt that scored just above the boundary below
 *   it (within `near`), hints the cheaper tier may have done: that boundary moves up by `raiseStep`.
 * State is in memory, per instance: each instance learns from the feedback it records.
 */
export function createAdaptiveThresholds(tiers: readonly string[], configured: readonly number[], adaptation: ThresholdAdaptation): AdaptiveThresholds {
  const thresholds = [...configured];
  const { step, raiseStep, min, max, lowScore, highScore, near } = adaptation;
  // Stay in [min, max] and keep the boundaries ascending.
  const lowest = (i: number) => Math.max(min, i > 0 ? thresholds[i - 1]! : min);
  const highest = (i: number) => Math.min(max, i < thresholds.length - 1 ? thresholds[i + 1]! : max);
  const move = (i: number, to: number): boolean => {
    // Rounded so that many steps do not drift into 0.30000000000000004.
    const bounded = Math.round(Math.min(highest(i), Math.max(lowest(i), to)) * 1e9) / 1e9;
    if (bounded === thresholds[i]) return false;
    thresholds[i] = bounded;
    return true;
  };
  return {
    current: () => thresholds,
    record({ tier, promptScore, feedback }) {
      const index = tiers.indexOf(tier);
      if (index < 0 || !Number.isFinite(promptScore) || !Number.isFinite(feedback)) return false;
      if (feedback < lowScore && index < thresholds.length) {
        const boundary = thresholds[index]!;
        return boundary > promptScore && move(index, Math.max(promptScore, boundary - step));
      }
      if (feedback >= highScore && index > 0) {
        const boundary = thresholds[index - 1]!;
        return promptScore >= boundary && promptScore - boundary <= near && move(index - 1, boundary + raiseStep);
      }
      return false;
    },
  };
}
