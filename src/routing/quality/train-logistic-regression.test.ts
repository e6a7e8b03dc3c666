import { describe, expect, it } from "vitest";
import { createSeededRandom } from "../../core/create-seeded-random.js";
import { trainLogisticRegression, type LogisticRegressionOptions, type TrainingExample } from "./train-logistic-regression.js";

function examples(count: number): TrainingExample[] {
  const random = createSeededRandom(7);
  return Array.from({ length: count }, () => {
    const indices = Int32Array.from({ length: 6 }, () => Math.floor(random() * 64));
    const dense = Float64Array.from({ length: 2 }, () => random() - 0.5);
    const target = indices[0]! < 32 ? 1 : random() < 0.3 ? 1 : 0;
    return { indices, values: new Float32Array(6).fill(1 / Math.sqrt(6)), dense, target, weight: 1 };
  });
}

const options: LogisticRegressionOptions = { hashBits: 6, denseCount: 2, epochs: 8, l2: 1e-3, learningRate: 0.1, seed: 3 };

describe("trainLogisticRegression averageFrom", () => {
  it("returns the mean of the end-of-epoch weights from that epoch on", () => {
    const data = examples(200);
    const averaged = trainLogisticRegression(data, { ...options, averageFrom: 5 });
    // A run of e epochs is the first e epochs of a longer run with the same seed.
    const runs = [5, 6, 7, 8].map((epochs) => trainLogisticRegression(data, { ...options, epochs }));
    const mean = (pick: (w: (typeof runs)[number]) => number): number => runs.reduce((a, w) => a + pick(w), 0) / runs.length;
    expect(averaged.bias).toBeCloseTo(mean((w) => w.bias), 12);
    for (let i = 0; i < 64; i++) expect(averaged.hashed[i]).toBeCloseTo(mean((w) => w.hashed[i]!), 12);
    for (let k = 0; k < 2; k++) expect(averaged.dense[k]).toBeCloseTo(mean((w) => w.dense[k]!), 12);
    expect(Array.from(averaged.hashed)).not.toEqual(Array.from(runs[3]!.hashed));
  });

  it("is the last weights when unset or set to the last epoch, and deterministic", () => {
    const data = examples(100);
    const last = trainLogisticRegression(data, options);
    expect(Array.from(trainLogisticRegression(data, { ...options, averageFrom: 8 }).hashed)).toEqual(Array.from(last.hashed));
    expect(Array.from(trainLogisticRegression(data, { ...options, averageFrom: 3 }).hashed)).toEqual(Array.from(trainLogisticRegression(data, { ...options, averageFrom: 3 }).hashed));
  });
});
