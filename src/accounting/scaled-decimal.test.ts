import { describe, expect, it } from "vitest";
import { formatScaledDecimal, parseScaledDecimal } from "./scaled-decimal.js";

describe("parseScaledDecimal", () => {
  it.each([
    ["7.5e-8", 12, 75000n],
    ["1.5e-7", 12, 150000n],
    ["2.5e-06", 12, 2500000n],
    ["1e-05", 12, 10000000n],
    ["0.0000003", 12, 300000n],
    ["0.15", 6, 150000n],
    ["12", 12, 12000000000000n],
    [".5", 2, 50n],
    ["3.", 1, 30n],
    ["-0.25", 2, -25n],
    ["+1E2", 0, 100n],
  ])("%s at scale %i is %s exactly", (text, scale, value) => {
    expect(parseScaledDecimal(text, scale)).toEqual({ value, exact: true });
  });

  it("rounds half away from zero and says so", () => {
    expect(parseScaledDecimal("4.6875e-9", 12)).toEqual({ value: 4688n, exact: false });
    expect(parseScaledDecimal("0.0000000000014", 12)).toEqual({ value: 1n, exact: false });
    expect(parseScaledDecimal("-0.125", 2)).toEqual({ value: -13n, exact: false });
  });

  it.each(["", ".", "-", "abc", "1.2.3", "0x10", "1e", "NaN", "Infinity", "1,5", "1e99999"])("rejects %j", (text) => {
    expect(parseScaledDecimal(text, 12)).toBeUndefined();
  });
});

describe("formatScaledDecimal", () => {
  it("pads to the scale", () => {
    expect(formatScaledDecimal(150000n, 12)).toBe("0.000000150000");
    expect(formatScaledDecimal(0n, 12)).toBe("0.000000000000");
    expect(formatScaledDecimal(-5n, 3)).toBe("-0.005");
    expect(formatScaledDecimal(1234567n, 3)).toBe("1234.567");
    expect(formatScaledDecimal(42n, 0)).toBe("42");
  });
});
