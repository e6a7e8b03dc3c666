import { describe, expect, it } from "vitest";
import { InvalidPriceError, pricingOverrideToPico, usdPerMTokToPico } from "./pricing-override.js";

describe("usdPerMTokToPico", () => {
  it.each([
    [0.15, 150000n],
    [2.5, 2500000n],
    [0.075, 75000n],
    [0.6, 600000n],
    [0, 0n],
    [75, 75000000n],
    [0.1 + 0.2, 300000n], // 0.30000000000000004: the tail is below a pico and rounds away
    ["1.25", 1250000n],
    [1e-7, 0n],
  ])("%s USD/MTok is %s pico per token", (usd, pico) => {
    expect(usdPerMTokToPico(usd)).toBe(pico);
  });

  it.each([-1, -1e-9, Number.NaN, Number.POSITIVE_INFINITY, "abc", "", "-0.5"])("rejects %s", (value) => {
    expect(() => usdPerMTokToPico(value, "inputPerMTok")).toThrow(InvalidPriceError);
  });

  it("names the field", () => {
    try {
      usdPerMTokToPico(-2, "outputPerMTok");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidPriceError);
      expect((error as InvalidPriceError).field).toBe("outputPerMTok");
      expect((error as Error).message).toMatch(/^outputPerMTok: .*-2/);
    }
  });
});

describe("pricingOverrideToPico", () => {
  it("converts every given field and leaves out the rest", () => {
    expect(pricingOverrideToPico({ inputPerMTok: 0.15, outputPerMTok: 0.6 })).toEqual({ inputPico: 150000n, outputPico: 600000n });
    expect(
      pricingOverrideToPico({ inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75, reasoningPerMTok: 20 }),
    ).toEqual({
      inputPico: 3000000n,
      outputPico: 15000000n,
      cacheReadPico: 300000n,
      cacheWritePico: 3750000n,
      reasoningPico: 20000000n,
    });
  });

  it("rejects a bad optional field", () => {
    expect(() => pricingOverrideToPico({ inputPerMTok: 1, outputPerMTok: 1, cachedInputPerMTok: Number.NaN })).toThrow(
      /cachedInputPerMTok/,
    );
  });
});
