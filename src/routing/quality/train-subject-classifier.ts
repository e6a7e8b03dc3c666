import { createSeededRandom } from "../../core/create-seeded-random.js";
import { softmaxInPlace } from "./softmax-in-place.js";
import { MAX_SUBJECT_FEATURES } from "./subject-classifier.js";

export interface TrainSubjectClassifierOptions {
  bits: number;
  maxFeatures: number;
  epochs: number;
  l2: number;
  learningRate: number;
  seed: number;
  /** Learning rate of the dense inputs' weights (comparison only), when not `learningRate`. */
  denseLearningRate?: number;
}

export interface SubjectExample {
  indices: Int32Array;
  subject: number;
  /** Standardised dense inputs, the same count in every example (comparison only). */
  dense?: Float64Array;
}

/** Features used for one prompt: the first `maxFeatures` indices, folded; each weighs 1/√m. */
function foldedCount(length: number, maxFeatures: number): number {
  const cap = maxFeatures < MAX_SUBJECT_FEATURES ? maxFeatures : MAX_SUBJECT_FEATURES;
  return length < cap ? length : cap;
}

/** A gradient below this (a subject's probability error) is not applied. */
const SKIP_BELOW = 1e-3;

/**
 * Softmax regression trained by AdaGrad over shuffled examples (seeded: deterministic), L2 on
 * the weights a step touches. Returns float weights; quantiseSubjectWeights makes them int8.
 */
export function trainSubjectClassifier(
  examples: readonly SubjectExample[],
  subjects: number,
  options: TrainSubjectClassifierOptions,
): { bias: Float64Array; weights: Float64Array; dense?: Float64Array } {
  const size = 1 << options.bits;
  const mask = size - 1;
  const weights = new Float64Array(size * subjects);
  const squares = new Float64Array(size * subjects).fill(1e-8);
  const bias = new Float64Array(subjects);
  const biasSquares = new Float64Array(subjects).fill(1e-8);
  const p = new Float64Array(subjects);
  const live = new Int32Array(subjects);
  const denseCount = examples.find((e) => e.dense !== undefined)?.dense?.length ?? 0;
  const dense = new Float64Array(denseCount * subjects);
  const denseSquares = new Float64Array(denseCount * subjects).fill(1e-8);
  const denseRate = options.denseLearningRate ?? options.learningRate;
  const random = createSeededRandom(options.seed);
  const order = Array.from(examples.keys());
  const { l2, learningRate: rate } = options;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      const example = examples[index]!;
      const m = foldedCount(example.indices.length, options.maxFeatures);
      if (m === 0) continue;
      const value = 1 / Math.sqrt(m);
      p.set(bias);
      for (let k = 0; k < m; k++) {
        const row = (example.indices[k]! & mask) * subjects;
        for (let s = 0; s < subjects; s++) p[s] = p[s]! + weights[row + s]! * value;
      }
      const x = example.dense;
      if (x !== undefined) for (let j = 0; j < denseCount; j++) for (let s = 0; s < subjects; s++) p[s] = p[s]! + dense[j * subjects + s]! * x[j]!;
      softmaxInPlace(p);
      p[example.subject] = p[example.subject]! - 1;
      for (let s = 0; s < subjects; s++) {
        const g = p[s]!;
        biasSquares[s] = biasSquares[s]! + g * g;
        bias[s] = bias[s]! - (rate * g) / Math.sqrt(biasSquares[s]!);
      }
      // Subjects the example gives (almost) no gradient are skipped: after the first epoch most
      // are, which makes training several times faster (their L2 step is skipped with them).
      let active = 0;
      for (let s = 0; s < subjects; s++) if (p[s]! > SKIP_BELOW || p[s]! < -SKIP_BELOW) live[active++] = s;
      for (let k = 0; k < m; k++) {
        const row = (example.indices[k]! & mask) * subjects;
        for (let a = 0; a < active; a++) {
          const s = live[a]!;
          const at = row + s;
          const g = p[s]! * value + l2 * weights[at]!;
          squares[at] = squares[at]! + g * g;
          weights[at] = weights[at]! - (rate * g) / Math.sqrt(squares[at]!);
        }
      }
      if (x !== undefined) {
        for (let j = 0; j < denseCount; j++) {
          for (let a = 0; a < active; a++) {
            const s = live[a]!;
            const at = j * subjects + s;
            const g = p[s]! * x[j]! + l2 * dense[at]!;
            denseSquares[at] = denseSquares[at]! + g * g;
            dense[at] = dense[at]! - (denseRate * g) / Math.sqrt(denseSquares[at]!);
          }
        }
      }
    }
  }
  return denseCount > 0 ? { bias, weights, dense } : { bias, weights };
}

/** int8 weights with one scale (largest magnitude → 127), rounding to nearest. */
export function quantiseSubjectWeights(weights: Float64Array): { weights: Int8Array; scale: number } {
  let largest = 0;
  for (let i = 0; i < weights.length; i++) largest = Math.max(largest, Math.abs(weights[i]!));
  const scale = largest > 0 ? largest / 127 : 1;
  const out = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) out[i] = Math.round(weights[i]! / scale);
  return { weights: out, scale };
}
