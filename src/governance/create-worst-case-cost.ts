import { ALL_FALLBACK_CHAINS, reachableGroups, type FallbackChain, type FallbackNode } from "../routing/reachable-groups.js";

/** What the worst-case estimate needs to know of a model group (built from the config in the composition root). */
export interface PricedGroup extends FallbackNode {
  aliases: readonly string[];
  /** A cascade pays for each tier it tries; a quality group for the one it picks. */
  cascade?: boolean;
  deployments: ReadonlyArray<{ inputPico: bigint; outputPico: bigint; maxOutputTokens?: number }>;
}

/**
 * The most a call can cost in pico-USD: prompt tokens × input price + max output tokens × output price
 * of the dearest deployment it can reach (`reachableGroups`, every fallback chain). A cascade may
 * answer on every tier, so its worst case is the sum of its tiers'. Undefined for an unknown model.
 */
export type WorstCaseCost = (model: string, promptTokens: number, maxTokens: number | undefined, requestFallbacks?: readonly string[]) => bigint | undefined;

/** When neither the request nor the catalog bounds the output. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

const NO_DEFAULTS = { contextWindow: [], contentPolicy: [], rateLimit: [] };

export function createWorstCaseCost(
  groups: readonly PricedGroup[],
  defaults: { readonly [K in FallbackChain]: readonly string[] } = NO_DEFAULTS,
): WorstCaseCost {
  const byName = new Map<string, PricedGroup>();
  for (const group of groups) for (const name of [group.name, ...group.aliases]) byName.set(name, group);
  const find = (name: string) => byName.get(name);

  const dearest = (start: PricedGroup, prompt: bigint, maxTokens: number | undefined, requestFallbacks: readonly string[] | undefined): bigint => {
    let worst = 0n;
    const reachable = reachableGroups(start, { find, defaults, chains: ALL_FALLBACK_CHAINS, ...(requestFallbacks ? { requestFallbacks } : {}) });
    for (const group of reachable) {
      for (const d of group.deployments) {
        const output = BigInt(maxTokens ?? d.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS);
        const cost = prompt * d.inputPico + output * d.outputPico;
        if (cost > worst) worst = cost;
      }
    }
    return worst;
  };

  return (model, promptTokens, maxTokens, requestFallbacks) => {
    const start = byName.get(model);
    if (!start) return undefined;
    const prompt = BigInt(Math.max(0, Math.ceil(promptTokens)));
    const fallbacks = requestFallbacks && requestFallbacks.length > 0 ? requestFallbacks : undefined;
    if (!start.cascade || !start.tiers) return dearest(start, prompt, maxTokens, fallbacks);
    let sum = 0n;
    for (const tier of start.tiers) {
      const group = byName.get(tier);
      if (group) sum += dearest(group, prompt, maxTokens, fallbacks);
    }
    return sum;
  };
}
