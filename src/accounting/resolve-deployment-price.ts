import { noCapabilities, type ModelPrice } from "./model-price.js";
import type { PriceCatalog } from "./price-catalog.js";
import { pricingOverrideToPico, type PricingOverride } from "./pricing-override.js";

export interface DeploymentPriceInput {
  /** The provider's model name, as configured on the deployment. */
  model: string;
  provider?: string;
  /** The deployment's `pricing` from the config. */
  override?: PricingOverride;
  /** The deployment's `contextWindow` from the config (max input tokens). */
  contextWindow?: number;
  maxOutputTokens?: number;
}

/**
 * The catalog's price for a deployment with the config's overrides laid over it field by field.
 * Undefined only when the catalog does not know the model and the config sets no pricing.
 * A model the catalog does not know has every capability unknown (not "no"): routing tries it.
 * Throws InvalidPriceError for a negative or non-numeric override.
 */
export function resolveDeploymentPrice(catalog: PriceCatalog, input: DeploymentPriceInput): ModelPrice | undefined {
  const base = catalog.lookup(input.model, input.provider);
  const override = input.override === undefined ? undefined : pricingOverrideToPico(input.override);
  if (base === undefined && override === undefined) return undefined;

  const price: ModelPrice = base
    ? { ...base, capabilities: { ...base.capabilities } }
    : { inputPico: 0n, outputPico: 0n, capabilities: noCapabilities() };
  if (base === undefined && input.provider !== undefined) price.provider = input.provider;
  if (override !== undefined) {
    price.inputPico = override.inputPico;
    price.outputPico = override.outputPico;
    if (override.cacheReadPico !== undefined) price.cacheReadPico = override.cacheReadPico;
    if (override.cacheWritePico !== undefined) price.cacheWritePico = override.cacheWritePico;
    if (override.reasoningPico !== undefined) price.reasoningPico = override.reasoningPico;
  }
  if (input.contextWindow !== undefined) price.contextWindow = input.contextWindow;
  if (input.maxOutputTokens !== undefined) price.maxOutputTokens = input.maxOutputTokens;
  return price;
}
