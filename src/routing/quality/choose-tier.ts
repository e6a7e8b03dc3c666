/** What a quality group's score picked: the tier's index, the threshold that decided, and why in words. */
export interface TierChoice {
  index: number;
  threshold: number;
  reason: string;
}

/** A score or threshold in a reason: three decimals are plenty for a reader; the call row keeps the exact numbers. */
export const showScore = (value: number): string => String(Number(value.toFixed(3)));
const show = showScore;

/** A score ≥ thresholds[i] goes above tier i; `thresholds` are ascending, one per boundary. */
export function chooseTier(thresholds: readonly number[], score: number): TierChoice {
  let index = 0;
  while (index < thresholds.length && score >= thresholds[index]!) index++;
  if (index === 0) return { index, threshold: thresholds[0]!, reason: `score ${show(score)} < ${show(thresholds[0]!)}` };
  const passed = thresholds[index - 1]!;
  const next = thresholds[index];
  return { index, threshold: passed, reason: `score ${show(score)} ≥ ${show(passed)}${next === undefined ? "" : ` and < ${show(next)}`}` };
}

/** Why a list of thresholds cannot serve `tierCount` tiers; undefined when it can. */
export function thresholdProblem(thresholds: readonly number[], tierCount: number): string | undefined {
  if (thresholds.length !== tierCount - 1) {
    return `${tierCount} tiers need ${tierCount - 1} threshold${tierCount === 2 ? "" : "s"} (one per boundary), got ${thresholds.length}`;
  }
  if (thresholds.some((t) => !(t >= 0 && t <= 1))) return "a threshold is a score in [0, 1]";
  if (thresholds.some((t, i) => i > 0 && t < thresholds[i - 1]!)) return "thresholds go up from the cheapest boundary to the strongest";
  return undefined;
}
