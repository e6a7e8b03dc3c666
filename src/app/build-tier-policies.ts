import type { Config } from "../config/index.js";
import { ConfigError } from "../config/index.js";
import { compileAnswerCheck, type AnswerCheck } from "../routing/quality/answer-checks.js";
import { createAdaptiveThresholds, type AdaptiveThresholds } from "../routing/quality/adaptive-thresholds.js";
import type { PromptScorer } from "../routing/quality/prompt-scorer.js";
import type { TierPolicy } from "../routing/quality/tier-policy.js";

/** Loads a router: "builtin" or the path of a router file; throws (a typed error) for a file it cannot use. */
export type LoadScorer = (spec: string) => PromptScorer;

/**
 * The quality and cascade groups' policies, by group name: routers loaded once per file, a
 * `strongShare` turned into a threshold by the router's calibration, checks compiled. Every router
 * that cannot be loaded is listed, by its config path, in one ConfigError.
 */
export function buildTierPolicies(config: Config, loadScorer: LoadScorer): Map<string, TierPolicy> {
  const problems: string[] = [];
  const loaded = new Map<string, PromptScorer | Error>();
  const scorerAt = (spec: string, path: string): PromptScorer | undefined => {
    if (!loaded.has(spec)) {
      try {
        loaded.set(spec, loadScorer(spec));
      } catch (error) {
        loaded.set(spec, error instanceof Error ? error : new Error(String(error)));
      }
    }
    const scorer = loaded.get(spec)!;
    if (scorer instanceof Error) {
      problems.push(`${path}: cannot load router "${spec}": ${scorer.message}`);
      return undefined;
    }
    return scorer;
  };

  const policies = new Map<string, TierPolicy>();
  config.models.forEach((group, g) => {
    if (group.quality) {
      const { tiers, threshold, strongShare, router } = group.quality;
      const scorer = scorerAt(router, `models[${g}].quality.router`);
      if (!scorer) return;
      const thresholds = threshold === undefined ? [scorer.thresholdForStrongShare(strongShare!)] : typeof threshold === "number" ? [threshold] : threshold;
      const adapt = group.quality.adapt;
      let adaptive: AdaptiveThresholds | undefined;
      if (adapt) {
        // Default bounds: 0.1 either side of the configured thresholds (known only now for strongShare).
        const min = adapt.min ?? Math.max(0, Math.min(...thresholds) - 0.1);
        const max = adapt.max ?? Math.min(1, Math.max(...thresholds) + 0.1);
        if (thresholds.some((t) => t < min || t > max)) {
          problems.push(`models[${g}].quality.adapt: the thresholds [${thresholds.join(", ")}] must lie within min ${min} and max ${max}`);
          return;
        }
        adaptive = createAdaptiveThresholds(tiers, thresholds, { ...adapt, raiseStep: adapt.raiseStep ?? adapt.step / 4, min, max });
      }
      policies.set(group.name, { kind: "quality", tiers, thresholds, scorer, ...(adaptive ? { adaptive } : {}) });
    } else if (group.cascade) {
      const { tiers, checks, router } = group.cascade;
      const scoreCheck = checks.find((check): check is { score: number } => check.score !== undefined);
      const spec = router ?? (scoreCheck ? "builtin" : undefined);
      const scorer = spec === undefined ? undefined : scorerAt(spec, `models[${g}].cascade.router`);
      if (spec !== undefined && !scorer) return;
      policies.set(group.name, {
        kind: "cascade",
        tiers,
        // The config check compiled every check already: these cannot throw here.
        checks: checks.map((check) => compileAnswerCheck(check)).filter((check): check is AnswerCheck => check !== undefined),
        ...(scoreCheck ? { scoreAtMost: scoreCheck.score } : {}),
        ...(scorer ? { scorer } : {}),
      });
    }
  });
  if (problems.length > 0) throw new ConfigError("config", problems);
  return policies;
}
