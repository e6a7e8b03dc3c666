import type { Usage } from "../core/index.js";
import type { ModelPrice } from "./model-price.js";
import { formatScaledDecimal, parseScaledDecimal } from "./scaled-decimal.js";

const PICO_DIGITS = 12;

// Usage comes from providers after the call already happened: a malformed count must not throw
// away the call's record, so it is read as the whole tokens it plausibly means (never negative).
const tokens = (count: number): bigint => (Number.isFinite(count) && count > 0 ? BigInt(Math.floor(count)) : 0n);

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/**
 * A call's cost in integer pico-USD. `inputTokens` includes the cached and cache-written ones,
 * `outputTokens` includes the reasoning ones; each part is priced at its own rate, falling back
 * to the plain input/output rate when the model has none.
 */
export function computeCostPico(usage: Usage, price: ModelPrice): bigint {
  const input = tokens(usage.inputTokens);
  const cached = tokens(usage.cachedInputTokens);
  const cacheWrite = tokens(usage.cacheWriteTokens);
  const output = tokens(usage.outputTokens);
  const uncached = input - cached - cacheWrite;

  let cost = (uncached > 0n ? uncached : 0n) * price.inputPico;
  cost += cached * (price.cacheReadPico ?? price.inputPico);
  cost += cacheWrite * (price.cacheWritePico ?? price.inputPico);
  if (price.reasoningPico === undefined) {
    cost += output * price.outputPico;
  } else {
    const reasoning = min(tokens(usage.reasoningTokens), output);
    cost += reasoning * price.reasoningPico + (output - reasoning) * price.outputPico;
  }
  return cost;
}

/** Exact decimal USD with 12 fraction digits, for a Postgres `numeric` (150000n → "0.000000150000"). */
export const picoToUsdString = (pico: bigint): string => formatScaledDecimal(pico, PICO_DIGITS);

/** The nearest double, for GraphQL Float; parsed from the exact text so it rounds only once. */
export const picoToUsdNumber = (pico: bigint): number => Number(picoToUsdString(pico));

/**
 * Reads a USD amount back from the database ("0.00015", "12", "-1.5") exactly.
 * Throws for anything else, and for amounts finer than a pico-dollar, which no cost here can be.
 */
export function usdStringToPico(usd: string): bigint {
  const parsed = typeof usd === "string" ? parseScaledDecimal(usd, PICO_DIGITS) : undefined;
  if (parsed === undefined) throw new Error(`not a USD amount: ${JSON.stringify(usd)}`);
  if (!parsed.exact) throw new Error(`USD amount ${JSON.stringify(usd)} is finer than a pico-dollar`);
  return parsed.value;
}
