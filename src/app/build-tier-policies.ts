import type { Config } from "../config/index.js";
import { ConfigError } from "../config/index.js";
import { compileAnswerCheck, type AnswerCheck } from "../routing/quality/answer-checks.js";
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
      policies.set(group.name, { kind: "quality", tiers, thresholds, scorer });
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
