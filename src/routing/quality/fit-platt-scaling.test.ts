import { describe, expect, it } from "vitest";
import { fitPlattScaling } from "./fit-platt-scaling.js";
import { createSeededRandom as seededRandom } from "../../core/create-seeded-random.js";

describe("fitPlattScaling", () => {
  it("recovers the scale and shift that generated the labels", () => {
    const random = seededRandom(3);
    const logits = Array.from({ length: 20_000 }, () => random() * 8 - 4);
    const labels = logits.map((z) => random() < 1 / (1 + Math.exp(-(2 * z - 1))));
    const { scale, shift } = fitPlattScaling(logits, labels);
    // 20,000 samples: the estimates are within a few hundredths.
    expect(Math.abs(scale - 2)).toBeLessThan(0.1);
    expect(Math.abs(shift + 1)).toBeLessThan(0.1);
  });

  it("fits logits tens of units wide (where a plain Newton step diverges)", () => {
    const random = seededRandom(4);
    const logits = Array.from({ length: 5_000 }, () => random() * 80 - 40);
    const labels = logits.map((z) => random() < 1 / (1 + Math.exp(-(0.05 * z - 1.5))));
    const { scale, shift } = fitPlattScaling(logits, labels);
    expect(Math.abs(scale - 0.05)).toBeLessThan(0.01);
    expect(Math.abs(shift + 1.5)).toBeLessThan(0.15);
  });

  it("gives the base rate when the logits carry no information", () => {
    const { scale, shift } = fitPlattScaling([0, 0, 0, 0], [true, false, false, false]);
    expect(scale).toBe(0);
    expect(1 / (1 + Math.exp(-shift))).toBeCloseTo(0.25, 6);
  });
});
