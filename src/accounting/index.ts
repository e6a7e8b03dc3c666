export type { ModelCapabilities, ModelPrice } from "./model-price.js";
export { createPriceCatalog, stripDateSuffix, type PriceCatalog } from "./price-catalog.js";
export { parseCatalogJson, type CatalogEntry } from "./catalog-entry.js";
export { loadBundledCatalog, resolveBundledCatalogPath } from "./load-bundled-catalog.js";
export {
  InvalidPriceError,
  pricingOverrideToPico,
  usdPerMTokToPico,
  type PricingOverride,
  type PricingOverridePico,
} from "./pricing-override.js";
export { resolveDeploymentPrice, type DeploymentPriceInput } from "./resolve-deployment-price.js";
export { computeCostPico, picoToUsdNumber, picoToUsdString, usdStringToPico } from "./compute-cost.js";
