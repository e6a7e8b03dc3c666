import { describe, expect, it } from "vitest";
import { emptyUsage, type Usage } from "../core/index.js";
import { computeCostPico, picoToUsdNumber, picoToUsdString, usdStringToPico } from "./compute-cost.js";
import { noCapabilities, type ModelPrice } from "./model-price.js";

const usage = (fields: Partial<Usage>): Usage => ({ ...emptyUsage(), ...fields });
const price = (fields: Partial<ModelPrice>): ModelPrice => ({
  inputPico: 150000n,
  outputPico: 600000n,
  capabilities: noCapabilities(),
  ...fields,
});

describe("computeCostPico", () => {
  it("prices input and output tokens", () => {
    expect(computeCostPico(usage({ inputTokens: 1000, outputTokens: 500 }), price({}))).toBe(1000n * 150000n + 500n * 600000n);
    expect(computeCostPico(emptyUsage(), price({}))).toBe(0n);
  });

  it("prices cached input at the cache-read rate", () => {
    const cost = computeCostPico(usage({ inputTokens: 1000, cachedInputTokens: 400, outputTokens: 10 }), price({ cacheReadPico: 75000n }));
    expect(cost).toBe(600n * 150000n + 400n * 75000n + 10n * 600000n);
  });

  it("prices cache writes at the cache-write rate", () => {
    const sonnet = price({ inputPico: 3000000n, outputPico: 15000000n, cacheReadPico: 300000n, cacheWritePico: 3750000n });
    const cost = computeCostPico(usage({ inputTokens: 5000, cachedInputTokens: 1000, cacheWriteTokens: 3000, outputTokens: 200 }), sonnet);
    expect(cost).toBe(1000n * 3000000n + 1000n * 300000n + 3000n * 3750000n + 200n * 15000000n);
  });

  it("falls back to the input rate when the model has no cache prices", () => {
    const cost = computeCostPico(usage({ inputTokens: 100, cachedInputTokens: 30, cacheWriteTokens: 20 }), price({}));
    expect(cost).toBe(100n * 150000n);
  });

  it("never counts negative uncached input when cache counts exceed the input", () => {
    const cost = computeCostPico(usage({ inputTokens: 10, cachedInputTokens: 8, cacheWriteTokens: 8 }), price({ cacheReadPico: 1n, cacheWritePico: 2n }));
    expect(cost).toBe(8n * 1n + 8n * 2n);
  });

  it("prices reasoning tokens at their own rate only when the model has one", () => {
    const u = usage({ outputTokens: 100, reasoningTokens: 60 });
    expect(computeCostPico(u, price({}))).toBe(100n * 600000n);
    expect(computeCostPico(u, price({ reasoningPico: 1000000n }))).toBe(60n * 1000000n + 40n * 600000n);
    expect(computeCostPico(usage({ outputTokens: 10, reasoningTokens: 50 }), price({ reasoningPico: 7n }))).toBe(70n);
  });

  it("stays exact for a billion tokens at an awkward price", () => {
    const cost = computeCostPico(
      usage({ inputTokens: 999_999_999, outputTokens: 1e9 }),
      price({ inputPico: 15000020n, outputPico: 4688n }),
    );
    // Past 2^53: a double could not hold this pico count exactly.
    expect(cost).toBe(15004707984999980n);
    expect(picoToUsdString(cost)).toBe("15004.707984999980");
  });

  it("reads malformed counts as whole non-negative tokens", () => {
    const cost = computeCostPico(usage({ inputTokens: 10.7, outputTokens: -5, cachedInputTokens: Number.NaN }), price({}));
    expect(cost).toBe(10n * 150000n);
  });

  it("sums a million one-token costs to exactly 0.15 USD", () => {
    const one = computeCostPico(usage({ inputTokens: 1 }), price({}));
    let total = 0n;
    let floatTotal = 0;
    for (let i = 0; i < 1_000_000; i += 1) {
      total += one;
      floatTotal += picoToUsdNumber(one);
    }
    expect(picoToUsdString(total)).toBe("0.150000000000");
    // The float sum drifts; the reason the ledger is kept in integers.
    expect(floatTotal).not.toBe(0.15);
  });
});

describe("USD conversions", () => {
  it("formats pico as a 12-digit decimal", () => {
    expect(picoToUsdString(150000n)).toBe("0.000000150000");
    expect(picoToUsdString(12_345_678_901_234_567n)).toBe("12345.678901234567");
    expect(picoToUsdString(-1n)).toBe("-0.000000000001");
    expect(picoToUsdNumber(150000n)).toBe(1.5e-7);
    expect(picoToUsdNumber(150000000000n)).toBe(0.15);
  });

  it("reads numeric text back exactly", () => {
    expect(usdStringToPico("0.00015")).toBe(150000000n);
    expect(usdStringToPico("12")).toBe(12_000_000_000_000n);
    expect(usdStringToPico("0.000000150000")).toBe(150000n);
    expect(usdStringToPico("0.0000001500000000")).toBe(150000n);
  });

  it("round-trips picoToUsdString", () => {
    for (const pico of [0n, 1n, 75000n, 150000n, 999_999_999_999n, 10n ** 24n + 7n, -42n]) {
      expect(usdStringToPico(picoToUsdString(pico))).toBe(pico);
    }
  });

  it.each(["", "abc", "1.2.3", "$5", "0.0000000000001", "NaN"])("rejects %j", (text) => {
    expect(() => usdStringToPico(text)).toThrow(Error);
  });
});
