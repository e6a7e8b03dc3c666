import { createSeededRandom } from "../../core/create-seeded-random.js";
/** One training prompt: its hashed features, its dense inputs, a target in [0, 1] and a weight. */
export interface TrainingExample {
  indices: Int32Array;
  values: Float32Array;
  dense: Float64Array;
  target: number;
  weight: number;
}

export interface LogisticRegressionOptions {
  hashBits: number;
  denseCount: number;
  epochs: number;
  /** L2 penalty per example step (applied to the weights a step touches). */
  l2: number;
  learningRate: number;
  /** Seeds the order examples are visited in; same seed → same weights. */
  seed: number;
  /** Dense inputs from this index on learn at `extraRate` (comparison only: word vectors). */
  extraFrom?: number;
  extraRate?: number;
  /**
   * From this epoch on (1-based), the weights at the end of each epoch are averaged and the average
   * is returned (tail averaging of the iterates: less variance from the visiting order, the same
   * linear model's shape, one pass over the weights per averaged epoch). Unset: the last weights.
   */
  averageFrom?: number;
}

export interface LogisticRegressionWeights {
  bias: number;
  hashed: Float64Array;
  dense: Float64Array;
}


/**
 * Logistic regression with soft targets (cross-entropy), trained by AdaGrad over shuffled
 * examples. Deterministic: same examples in the same order and options → bit-identical weights.
 */
export function trainLogisticRegression(examples: readonly TrainingExample[], options: LogisticRegressionOptions): LogisticRegressionWeights {
  const size = 1 << options.hashBits;
  const hashed = new Float64Array(size);
  const hashedG = new Float64Array(size).fill(1e-8);
  const dense = new Float64Array(options.denseCount);
  const denseG = new Float64Array(options.denseCount).fill(1e-8);
  let bias = 0;
  let biasG = 1e-8;
  const { l2, learningRate: rate } = options;
  const extraFrom = options.extraFrom ?? options.denseCount;
  const extraRate = options.extraRate ?? rate;
  // Seeded: the training order must not depend on Math.random.
  const random = createSeededRandom(options.seed);
  const order = Array.from(examples.keys());
  const averageFrom = options.averageFrom ?? options.epochs + 1;
  const sum = averageFrom <= options.epochs ? { bias: 0, hashed: new Float64Array(size), dense: new Float64Array(options.denseCount) } : undefined;
  let averaged = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      const example = examples[index]!;
      let z = bias;
      for (let k = 0; k < example.indices.length; k++) z += hashed[example.indices[k]!]! * example.values[k]!;
      for (let k = 0; k < dense.length; k++) z += dense[k]! * example.dense[k]!;
      const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      const error = (p - example.target) * example.weight;
      biasG += error * error;
      bias -= (rate * error) / Math.sqrt(biasG);
      for (let k = 0; k < example.indices.length; k++) {
        const at = example.indices[k]!;
        const g = error * example.values[k]! + l2 * hashed[at]!;
        hashedG[at] = hashedG[at]! + g * g;
        hashed[at] = hashed[at]! - (rate * g) / Math.sqrt(hashedG[at]!);
      }
      for (let k = 0; k < dense.length; k++) {
        const x = example.dense[k]!;
        if (x === 0) continue;
        const g = error * x + l2 * dense[k]!;
        denseG[k] = denseG[k]! + g * g;
        dense[k] = dense[k]! - ((k >= extraFrom ? extraRate : rate) * g) / Math.sqrt(denseG[k]!);
      }
    }
    if (sum !== undefined && epoch + 1 >= averageFrom) {
      sum.bias += bias;
      for (let i = 0; i < size; i++) sum.hashed[i] = sum.hashed[i]! + hashed[i]!;
      for (let k = 0; k < dense.length; k++) sum.dense[k] = sum.dense[k]! + dense[k]!;
      averaged++;
    }
  }
  if (sum === undefined) return { bias, hashed, dense };
  sum.bias /= averaged;
  for (let i = 0; i < size; i++) sum.hashed[i] = sum.hashed[i]! / averaged;
  for (let k = 0; k < sum.dense.length; k++) sum.dense[k] = sum.dense[k]! / averaged;
  return sum;
}
