import { parseScaledDecimal } from "./scaled-decimal.js";

/** A deployment's `pricing` in the config, in USD per million tokens as providers quote them. */
export interface PricingOverride {
  inputPerMTok: number | string;
  outputPerMTok: number | string;
  cachedInputPerMTok?: number | string;
  cacheWritePerMTok?: number | string;
  reasoningPerMTok?: number | string;
}

/** The same prices in integer pico-USD per token. */
export interface PricingOverridePico {
  inputPico: bigint;
  outputPico: bigint;
  cacheReadPico?: bigint;
  cacheWritePico?: bigint;
  reasoningPico?: bigint;
}

export class InvalidPriceError extends Error {
  override readonly name = "InvalidPriceError";
  /** The override's field, e.g. "inputPerMTok", so a config loader can name the path. */
  readonly field: string;

  constructor(field: string, value: unknown) {
    super(`${field}: expected a non-negative number of USD per million tokens, got ${JSON.stringify(value) ?? String(value)}`);
    this.field = field;
  }
}

// USD per 1e6 tokens → 1e-12 USD per token is a factor of 1e6: six decimal places.
const MTOK_TO_PICO_DIGITS = 6;

/**
 * Exact: the number's decimal text is scaled, never multiplied as a float (0.075 → 75000n).
 * More precise than a pico per token (over six decimals) is rounded half-up.
 */
export function usdPerMTokToPico(value: number | string, field = "price"): bigint {
  const valid = (typeof value === "number" && Number.isFinite(value)) || typeof value === "string";
  const text = valid ? String(value).trim() : "";
  // Checked on the text: a tiny negative like -1e-9 would otherwise round to zero and pass.
  const parsed = text.startsWith("-") ? undefined : parseScaledDecimal(text, MTOK_TO_PICO_DIGITS);
  if (parsed === undefined) throw new InvalidPriceError(field, value);
  return parsed.value;
}

export function pricingOverrideToPico(override: PricingOverride): PricingOverridePico {
  const result: PricingOverridePico = {
    inputPico: usdPerMTokToPico(override.inputPerMTok, "inputPerMTok"),
    outputPico: usdPerMTokToPico(override.outputPerMTok, "outputPerMTok"),
  };
  if (override.cachedInputPerMTok !== undefined) {
    result.cacheReadPico = usdPerMTokToPico(override.cachedInputPerMTok, "cachedInputPerMTok");
  }
  if (override.cacheWritePerMTok !== undefined) {
    result.cacheWritePico = usdPerMTokToPico(override.cacheWritePerMTok, "cacheWritePerMTok");
  }
  if (override.reasoningPerMTok !== undefined) {
    result.reasoningPico = usdPerMTokToPico(override.reasoningPerMTok, "reasoningPerMTok");
  }
  return result;
}
