import { InvalidPriceError, type ModelPrice, type PriceCatalog, usdPerMTokToPico } from "../accounting/index.js";
import { badInput } from "../core/index.js";
import type { TokenTotalsReads } from "../db/token-totals-reads.js";
import { priceTokenTotals } from "./price-token-totals.js";

export interface WhatIfPrice {
  model: string;
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok?: number;
}

export interface WhatIfChanges {
  /** Prices that replace the recorded ones (for a model as served, or as mapped to). */
  prices?: readonly WhatIfPrice[];
  /** Calls served by `from` priced as `to` (whose price comes from `prices`, else from the catalog). */
  modelMap?: ReadonlyArray<{ from: string; to: string }>;
}

export interface WhatIfLine {
  /** The provider model that served the calls ("" when none did). */
  model: string;
  provider: string;
  /** The model whose price the what-if applies; null when the recorded cost stands. */
  pricedAs: string | null;
  requests: number;
  promptTokens: bigint;
  cachedTokens: bigint;
  cacheWriteTokens: bigint;
  completionTokens: bigint;
  actualPico: bigint;
  whatIfPico: bigint;
}

export interface WhatIfResult {
  byModel: WhatIfLine[];
  totals: { requests: number; actualPico: bigint; whatIfPico: bigint };
}

export interface CostWhatIf {
  /** Re-prices the calls of [from, to) — their recorded tokens — under the changes; exact pico-USD. */
  compute(window: { from: Date; to: Date }, changes: WhatIfChanges): Promise<WhatIfResult>;
}

export interface CostWhatIfOptions {
  /** Already scoped to the caller (a virtual key reads only its own calls). */
  reads: TokenTotalsReads;
  catalog: PriceCatalog;
}

/** Long enough for any real price table; bounds the work one request can ask for. */
export const MAX_WHAT_IF_ENTRIES = 100;

export function createCostWhatIf(options: CostWhatIfOptions): CostWhatIf {
  const { reads, catalog } = options;
  return {
    async compute(window, changes) {
      if (!(window.from.getTime() < window.to.getTime())) throw badInput("window: from must be before to", { field: "window" });
      const prices = parsePrices(changes.prices ?? []);
      const mapped = parseModelMap(changes.modelMap ?? []);
      const totals = await reads.tokenTotalsByModel({ from: window.from, to: window.to });

      const byModel = totals.map((line): WhatIfLine => {
        const target = mapped.get(line.providerModel);
        const pricedAs = target ?? (prices.has(line.providerModel) ? line.providerModel : null);
        let whatIfPico = line.actualPico;
        if (pricedAs !== null) {
          const price = prices.get(pricedAs) ?? catalog.lookup(pricedAs);
          if (price === undefined) throw badInput(`changes.modelMap: no price known for "${pricedAs}"; give one in changes.prices`, { field: "changes.modelMap" });
          whatIfPico = priceTokenTotals(line, price);
        }
        return {
          model: line.providerModel,
          provider: line.provider,
          pricedAs,
          requests: line.requests,
          promptTokens: line.promptTokens,
          cachedTokens: line.cachedTokens,
          cacheWriteTokens: line.cacheWriteTokens,
          completionTokens: line.completionTokens,
          actualPico: line.actualPico,
          whatIfPico,
        };
      });
      return {
        byModel,
        totals: byModel.reduce(
          (sum, line) => ({ requests: sum.requests + line.requests, actualPico: sum.actualPico + line.actualPico, whatIfPico: sum.whatIfPico + line.whatIfPico }),
          { requests: 0, actualPico: 0n, whatIfPico: 0n },
        ),
      };
    },
  };
}

type WhatIfModelPrice = Pick<ModelPrice, "inputPico" | "outputPico" | "cacheReadPico">;

function parsePrices(prices: readonly WhatIfPrice[]): Map<string, WhatIfModelPrice> {
  if (prices.length > MAX_WHAT_IF_ENTRIES) throw badInput(`changes.prices: at most ${MAX_WHAT_IF_ENTRIES} entries`, { field: "changes.prices" });
  const parsed = new Map<string, WhatIfModelPrice>();
  prices.forEach((price, i) => {
    const field = `changes.prices[${i}]`;
    if (parsed.has(price.model)) throw badInput(`${field}.model: "${price.model}" is priced twice`, { field: `${field}.model` });
    try {
      parsed.set(price.model, {
        inputPico: usdPerMTokToPico(price.inputPerMTok, `${field}.inputPerMTok`),
        outputPico: usdPerMTokToPico(price.outputPerMTok, `${field}.outputPerMTok`),
        ...(price.cachedInputPerMTok != null ? { cacheReadPico: usdPerMTokToPico(price.cachedInputPerMTok, `${field}.cachedInputPerMTok`) } : {}),
      });
    } catch (error) {
      if (error instanceof InvalidPriceError) throw badInput(`${error.message}`, { field });
      throw error;
    }
  });
  return parsed;
}

function parseModelMap(modelMap: ReadonlyArray<{ from: string; to: string }>): Map<string, string> {
  if (modelMap.length > MAX_WHAT_IF_ENTRIES) throw badInput(`changes.modelMap: at most ${MAX_WHAT_IF_ENTRIES} entries`, { field: "changes.modelMap" });
  const mapped = new Map<string, string>();
  modelMap.forEach(({ from, to }, i) => {
    if (mapped.has(from)) throw badInput(`changes.modelMap[${i}].from: "${from}" is mapped twice`, { field: `changes.modelMap[${i}].from` });
    mapped.set(from, to);
  });
  return mapped;
}
