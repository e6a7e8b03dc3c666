import { describe, expect, it } from "vitest";
import { fitBoostedTrees, predictBoostedTrees, treeCount } from "./boosted-trees.js";

const options = { trees: 60, depth: 2, learningRate: 0.2, minLeaf: 5, cuts: 31 };

/** A grid of points over two inputs and a third that carries no signal. */
function grid(target: (a: number, b: number) => number) {
  const inputs: number[][] = [];
  const targets: number[] = [];
  for (let a = 0; a < 20; a++) {
    for (let b = 0; b < 20; b++) {
      inputs.push([a / 19, b / 19, ((a * 7 + b * 13) % 17) / 17]);
      targets.push(target(a / 19, b / 19));
    }
  }
  return { inputs, targets };
}

const meanSquaredError = (model: ReturnType<typeof fitBoostedTrees>, inputs: number[][], targets: number[]): number =>
  inputs.reduce((sum, x, i) => sum + (predictBoostedTrees(model, x) - targets[i]!) ** 2, 0) / inputs.length;

describe("boosted trees", () => {
  it("learns an interaction a linear model cannot (high only when both inputs are high)", () => {
    const { inputs, targets } = grid((a, b) => (a > 0.5 && b > 0.5 ? 1 : 0));
    const model = fitBoostedTrees(inputs, targets, options);
    expect(treeCount(model)).toBe(60);
    expect(predictBoostedTrees(model, [0.9, 0.9, 0.5])).toBeGreaterThan(0.8);
    expect(predictBoostedTrees(model, [0.9, 0.1, 0.5])).toBeLessThan(0.2);
    expect(predictBoostedTrees(model, [0.1, 0.9, 0.5])).toBeLessThan(0.2);
    // Far better than the mean alone (variance 0.1875 for a quarter of ones).
    expect(meanSquaredError(model, inputs, targets)).toBeLessThan(0.02);
  });

  it("never splits on an input without signal when another explains the target", () => {
    const { inputs, targets } = grid((a) => a);
    const model = fitBoostedTrees(inputs, targets, options);
    expect([...model.feature].filter((f) => f === 2)).toEqual([]);
  });

  it("is deterministic and predicts the mean when nothing can be split", () => {
    const { inputs, targets } = grid((a, b) => a * b);
    expect(fitBoostedTrees(inputs, targets, options)).toEqual(fitBoostedTrees(inputs, targets, options));
    const constant = fitBoostedTrees([[1], [1], [1]], [0, 1, 1], { ...options, minLeaf: 1 });
    expect([...constant.feature].every((f) => f === -1)).toBe(true);
    expect(predictBoostedTrees(constant, [5])).toBeCloseTo(2 / 3, 12);
  });

  it("respects the minimum leaf size", () => {
    const { inputs, targets } = grid((a, b) => (a > 0.95 && b > 0.95 ? 1 : 0));
    const model = fitBoostedTrees(inputs, targets, { ...options, minLeaf: 100 });
    // Every leaf of the first tree is reached by at least 100 of the 400 rows.
    const reached = new Map<number, number>();
    for (const x of inputs) {
      let node = 0;
      for (let level = 0; level < 2; level++) node = 2 * node + (model.feature[node]! >= 0 && x[model.feature[node]!]! > model.threshold[node]! ? 2 : 1);
      reached.set(node, (reached.get(node) ?? 0) + 1);
    }
    expect(Math.min(...reached.values())).toBeGreaterThanOrEqual(100);
  });
});
