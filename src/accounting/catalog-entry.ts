import { noCapabilities, type ModelPrice } from "./model-price.js";

/**
 * One line of price-catalog.json as scripts/generate-prices.mjs writes it: prices in integer
 * pico-USD per token (a string only if too large for a double), `cap` as capability letters
 * (lower case: yes; upper case: the catalog says no; absent: unknown).
 */
export interface CatalogEntry {
  p?: string;
  i: number | string;
  o: number | string;
  cr?: number | string;
  cw?: number | string;
  r?: number | string;
  ctx?: number;
  out?: number;
  cap?: string;
  /** "e": an embedding model; absent: a chat model. */
  m?: string;
}

const toPico = (value: number | string | undefined, field: string, name: string): bigint | undefined => {
  if (value === undefined) return undefined;
  const valid = typeof value === "number" ? Number.isSafeInteger(value) && value >= 0 : /^\d+$/.test(value);
  if (!valid) throw new Error(`price catalog entry "${name}": ${field} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return BigInt(value);
};

const requirePico = (value: number | string | undefined, field: string, name: string): bigint => {
  const pico = toPico(value, field, name);
  if (pico === undefined) throw new Error(`price catalog entry "${name}": ${field} is missing`);
  return pico;
};

export function catalogEntryToModelPrice(name: string, entry: CatalogEntry): ModelPrice {
  const cap = entry.cap ?? "";
  const capabilities = noCapabilities();
  const said = (letter: string): boolean | undefined => (cap.includes(letter) ? true : cap.includes(letter.toUpperCase()) ? false : undefined);
  const tools = said("t");
  if (tools !== undefined) capabilities.tools = tools;
  const vision = said("v");
  if (vision !== undefined) capabilities.vision = vision;
  const jsonSchema = said("j");
  if (jsonSchema !== undefined) capabilities.jsonSchema = jsonSchema;
  const promptCaching = said("c");
  if (promptCaching !== undefined) capabilities.promptCaching = promptCaching;
  const systemMessages = said("s");
  if (systemMessages !== undefined) capabilities.systemMessages = systemMessages;
  const price: ModelPrice = {
    inputPico: requirePico(entry.i, "i", name),
    outputPico: requirePico(entry.o, "o", name),
    capabilities,
  };
  if (entry.p !== undefined) price.provider = entry.p;
  price.mode = entry.m === "e" ? "embedding" : "chat";
  const cacheRead = toPico(entry.cr, "cr", name);
  if (cacheRead !== undefined) price.cacheReadPico = cacheRead;
  const cacheWrite = toPico(entry.cw, "cw", name);
  if (cacheWrite !== undefined) price.cacheWritePico = cacheWrite;
  const reasoning = toPico(entry.r, "r", name);
  if (reasoning !== undefined) price.reasoningPico = reasoning;
  if (entry.ctx !== undefined) price.contextWindow = entry.ctx;
  if (entry.out !== undefined) price.maxOutputTokens = entry.out;
  return price;
}

/** The whole file: every key except the "_"-prefixed notes is a model name. */
export function parseCatalogJson(json: unknown): Record<string, ModelPrice> {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new Error("price catalog: expected a JSON object of model entries");
  }
  const prices: Record<string, ModelPrice> = {};
  for (const [name, entry] of Object.entries(json as Record<string, unknown>)) {
    if (name.startsWith("_")) continue;
    if (entry === null || typeof entry !== "object") throw new Error(`price catalog entry "${name}": expected an object`);
    const price = catalogEntryToModelPrice(name, entry as CatalogEntry);
    // Shared by every lookup in the process, so nobody may change one in place.
    Object.freeze(price.capabilities);
    prices[name] = Object.freeze(price);
  }
  return prices;
}
