import { describe, expect, it } from "vitest";
import { fitSmallLogistic, predictSmallLogistic } from "./small-logistic.js";

describe("fitSmallLogistic", () => {
  it("reads the inputs it names and learns their direction", () => {
    const numbers = Array.from({ length: 200 }, (_, i) => [Math.sin(i) * 10, (i % 7) - 3, 5]);
    const model = fitSmallLogistic(numbers, [1], numbers.map((x) => x[1]! + Math.sin(3 * x[0]!) > 0));
    expect(model.inputs).toEqual([1]);
    expect(predictSmallLogistic(model, [100, 3, 0])).toBeGreaterThan(0.8);
    expect(predictSmallLogistic(model, [-100, -3, 0])).toBeLessThan(0.2);
  });

  it("stays finite on separable rows (every p(1 − p) underflows) and on a constant input", () => {
    const numbers = Array.from({ length: 60 }, (_, i) => [i < 30 ? -1000 - i : 1000 + i, 4]);
    const model = fitSmallLogistic(numbers, [0, 1], numbers.map((x) => x[0]! > 0));
    expect([...model.weights].every(Number.isFinite)).toBe(true);
    expect(predictSmallLogistic(model, [2000, 4])).toBeGreaterThan(0.99);
    expect(predictSmallLogistic(model, [-2000, 4])).toBeLessThan(0.01);
  });
});
