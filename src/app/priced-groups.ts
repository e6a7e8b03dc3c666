import type { ModelPrice } from "../accounting/index.js";
import type { PricedGroup } from "../governance/create-worst-case-cost.js";
import type { ModelGroup } from "../routing/index.js";

/**
 * The router's groups as the worst-case cost estimate sees them: the same names, aliases, fallback
 * chains and tiers the attempt loop follows, each deployment with its price (unpriced: 0) and its
 * output cap (the config's `maxOutputTokens`, already folded into the price, else the catalog's).
 */
export function pricedGroups(groups: readonly ModelGroup[], priceById: (deploymentId: string) => ModelPrice | undefined): PricedGroup[] {
  return groups.map((group) => ({
    ...group,
    cascade: group.policy?.kind === "cascade",
    deployments: group.deployments.map((d) => {
      const price = priceById(d.id);
      return { inputPico: price?.inputPico ?? 0n, outputPico: price?.outputPico ?? 0n, ...(price?.maxOutputTokens ? { maxOutputTokens: price.maxOutputTokens } : {}) };
    }),
  }));
}
