import type { Logger } from "pino";
import { resolveDeploymentPrice, type ModelPrice, type PriceCatalog } from "../accounting/index.js";
import type { Config, DeploymentConfig } from "../config/index.js";

/** A deployment's price, resolved once from the catalog and its config's overrides. */
export type PriceFor = (deployment: DeploymentConfig) => ModelPrice | undefined;

export interface DeploymentPrices {
  priceFor: PriceFor;
  /** The same price by deployment id (what a call record carries). */
  priceById(deploymentId: string): ModelPrice | undefined;
}

/**
 * Prices every deployment of the config once (catalog entry, config `pricing`, context window and
 * output cap) and warns about each one without a price: its calls are recorded as unpriced.
 */
export function priceDeployments(config: Config, catalog: PriceCatalog, logger: Logger): DeploymentPrices {
  const prices = new Map<string, ModelPrice | undefined>();
  for (const group of config.models) for (const d of group.deployments) {
    const provider = d.provider === "simulator" || d.provider === "openai-compatible" ? undefined : d.provider;
    const price = resolveDeploymentPrice(catalog, {
      model: d.model,
      ...(provider ? { provider } : {}),
      ...(d.pricing ? { override: d.pricing } : {}),
      ...(d.contextWindow ? { contextWindow: d.contextWindow } : {}),
      ...(d.maxOutputTokens ? { maxOutputTokens: d.maxOutputTokens } : {}),
    });
    prices.set(d.id, price);
    if (!price) {
      logger.warn(
        { deployment: d.id, model: d.model, allowUnpriced: d.allowUnpriced === true },
        `no price known for deployment "${d.id}" (model ${d.model}): its calls are recorded as unpriced (cost unknown, not 0) and keys with a budget are kept off it unless allowUnpriced: true; set pricing in the config`,
      );
    }
  }
  return { priceFor: (d) => prices.get(d.id), priceById: (id) => prices.get(id) };
}
