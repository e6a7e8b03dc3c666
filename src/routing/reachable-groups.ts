/** What a group's fallback chains look like to anyone asking where a call may end up. */
export interface FallbackNode {
  name: string;
  fallbacks: readonly string[];
  contextWindowFallbacks?: readonly string[];
  contentPolicyFallbacks?: readonly string[];
  rateLimitFallbacks?: readonly string[];
  /** A quality or cascade group's tiers, cheapest first: each is a start of its own. */
  tiers?: readonly string[];
}

export type FallbackChain = "contextWindow" | "contentPolicy" | "rateLimit";

export const ALL_FALLBACK_CHAINS: readonly FallbackChain[] = ["contextWindow", "contentPolicy", "rateLimit"];

export interface ReachableGroupsOptions<G extends FallbackNode> {
  find(name: string): G | undefined;
  /** `router.fallbacks`: a group that sets no list of a kind uses these. */
  defaults: { readonly [K in FallbackChain]: readonly string[] };
  /**
   * The chains that can fire: the pre-call check follows `contextWindow` only (a group none of
   * whose deployments can serve the request jumps there); a budget's worst case follows every chain.
   */
  chains: readonly FallbackChain[];
  /** `routing.fallbacks` of the request: replaces the start's own `fallbacks`. */
  requestFallbacks?: readonly string[];
}

const OWN_CHAIN = {
  contextWindow: "contextWindowFallbacks",
  contentPolicy: "contentPolicyFallbacks",
  rateLimit: "rateLimitFallbacks",
} as const;

/**
 * Every group a call that starts at `start` may be served by, walked as the attempt loop
 * (`run-attempts.ts`) walks them: the start, the start's own `fallbacks` (only the start's — a
 * fallback's fallbacks are never visited), and from every group reached, transitively, the chosen
 * chains (the group's own list, else the router's default). A tiered group reaches each tier and
 * what each tier reaches. The one answer for the router's pre-call check, the budget's worst case
 * and the tiers; the start (or its tiers) come first, in order.
 */
export function reachableGroups<G extends FallbackNode>(start: G, options: ReachableGroupsOptions<G>): G[] {
  const starts = start.tiers ? start.tiers.map((name) => options.find(name)).filter((g): g is G => g !== undefined) : [start];
  const reached: G[] = [];
  const seen = new Set<string>();
  const visit = (group: G | undefined) => {
    if (!group || seen.has(group.name)) return;
    seen.add(group.name);
    reached.push(group);
  };
  starts.forEach(visit);
  for (const first of starts) for (const name of options.requestFallbacks ?? first.fallbacks) visit(options.find(name));
  for (let i = 0; i < reached.length; i++) {
    const group = reached[i]!;
    for (const chain of options.chains) {
      const own = group[OWN_CHAIN[chain]];
      for (const name of own && own.length > 0 ? own : options.defaults[chain]) visit(options.find(name));
    }
  }
  return reached;
}
