import { loadBundledCatalog } from "./load-bundled-catalog.js";
import type { ModelPrice } from "./model-price.js";

export interface PriceCatalog {
  /**
   * Tries, in order: `${provider}/${model}`, `model`, then both again with a release-date
   * suffix removed ("gpt-4o-mini-2024-07-18" → "gpt-4o-mini"), then all of that lower-cased.
   */
  lookup(model: string, provider?: string): ModelPrice | undefined;
  readonly size: number;
}

// "-2024-07-18", "-20241022" (Anthropic, OpenAI) and "@20241022" (Vertex) at the very end.
const DATE_SUFFIX = /[-@](?:\d{4}-\d{2}-\d{2}|\d{8})$/;

export const stripDateSuffix = (model: string): string => model.replace(DATE_SUFFIX, "");

function candidateNames(model: string, provider: string | undefined): string[] {
  const bases = [model];
  const undated = stripDateSuffix(model);
  if (undated !== model && undated !== "") bases.push(undated);
  const names: string[] = [];
  for (const base of bases) {
    if (provider !== undefined && provider !== "") names.push(`${provider}/${base}`);
    names.push(base);
  }
  const lower = names.map((name) => name.toLowerCase()).filter((name) => !names.includes(name));
  return [...names, ...lower];
}

/** Without `entries`, serves the committed catalog generated from LiteLLM's data. */
export function createPriceCatalog(entries?: Readonly<Record<string, ModelPrice>>): PriceCatalog {
  const byName = new Map(Object.entries(entries ?? loadBundledCatalog()));
  return {
    lookup(model, provider) {
      for (const name of candidateNames(model, provider)) {
        const price = byName.get(name);
        if (price !== undefined) return price;
      }
      return undefined;
    },
    get size() {
      return byName.size;
    },
  };
}
