import type { ModelPrice } from "../accounting/index.js";

/** Summed tokens of a set of calls, split the way a price applies to each call (see ModelTokenTotals). */
export interface PriceableTokens {
  /** Σ max(prompt − cached − cache writes, 0). */
  uncachedInputTokens: bigint;
  cachedTokens: bigint;
  cacheWriteTokens: bigint;
  completionTokens: bigint;
  /** Σ min(reasoning, completion). */
  reasoningTokens: bigint;
}

/**
 * computeCostPico over summed tokens: every part is linear, and the per-call clamps were applied in
 * SQL, so pricing the sums equals summing the priced calls — exactly, in pico-USD.
 */
export function priceTokenTotals(tokens: PriceableTokens, price: Pick<ModelPrice, "inputPico" | "outputPico" | "cacheReadPico" | "cacheWritePico" | "reasoningPico">): bigint {
  let cost = tokens.uncachedInputTokens * price.inputPico + tokens.cachedTokens * (price.cacheReadPico ?? price.inputPico);
  cost += tokens.cacheWriteTokens * (price.cacheWritePico ?? price.inputPico);
  if (price.reasoningPico === undefined) cost += tokens.completionTokens * price.outputPico;
  else cost += tokens.reasoningTokens * price.reasoningPico + (tokens.completionTokens - tokens.reasoningTokens) * price.outputPico;
  return cost;
}
