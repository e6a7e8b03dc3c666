/** What the worst-case estimate needs to know of a model group (built from the config in the composition root). */
export interface PricedGroup {
  name: string;
  aliases: readonly string[];
  /** Every group a call may fall back to from here: fallbacks and the context-window, content-policy and rate-limit chains. */
  fallbacks: readonly string[];
  deployments: ReadonlyArray<{ inputPico: bigint; outputPico: bigint; maxOutputTokens?: number }>;
}

/**
 * The most a call can cost in pico-USD: prompt tokens × input price + max output tokens × output price
 * of the dearest deployment it can reach, fallbacks included. Undefined for an unknown model.
 */
export type WorstCaseCost = (model: string, promptTokens: number, maxTokens: number | undefined, requestFallbacks?: readonly string[]) => bigint | undefined;

/** When neither the request nor the catalog bounds the output. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

export function createWorstCaseCost(groups: readonly PricedGroup[], defaultFallbacks: readonly string[] = []): WorstCaseCost {
  const byName = new Map<string, PricedGroup>();
  for (const group of groups) for (const name of [group.name, ...group.aliases]) byName.set(name, group);

  return (model, promptTokens, maxTokens, requestFallbacks = []) => {
    const start = byName.get(model);
    if (!start) return undefined;
    const reachable = new Set<PricedGroup>();
    const pending = [start, ...requestFallbacks.flatMap((name) => byName.get(name) ?? [])];
    while (pending.length > 0) {
      const group = pending.pop()!;
      if (reachable.has(group)) continue;
      reachable.add(group);
      for (const name of [...group.fallbacks, ...defaultFallbacks]) {
        const next = byName.get(name);
        if (next && !reachable.has(next)) pending.push(next);
      }
    }
    const prompt = BigInt(Math.max(0, Math.ceil(promptTokens)));
    let worst = 0n;
    for (const group of reachable) {
      for (const d of group.deployments) {
        const output = BigInt(maxTokens ?? d.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS);
        const cost = prompt * d.inputPico + output * d.outputPico;
        if (cost > worst) worst = cost;
      }
    }
    return worst;
  };
}
