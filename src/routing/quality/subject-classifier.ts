import { createSeededRandom } from "../../core/create-seeded-random.js";
import type { FeatureBuffer } from "./prompt-features.js";

/**
 * A many-way subject classifier (multinomial logistic regression) over the first hashed features
 * of a prompt, folded into 2^bits buckets (the low bits of the router's own bucket indices, so no
 * second pass over the text). Its posterior over the subjects turns into the prompt's expected
 * subject difficulty: Σ p(subject | prompt) · difficulty(subject).
 *
 * Weights are stored as int8 with one scale for the table (the file budget), bucket-major: the
 * subjects' weights of one bucket are neighbours, so each feature read touches one cache line.
 */
export interface SubjectClassifier {
  /** The subjects' names (the training data's `domain` values), sorted: provenance, not read by scoring. */
  subjects: string[];
  /** log2 of the buckets (at most the router's hashBits: the buckets are the low bits of its indices). */
  bits: number;
  /** Only this many hashed features are read, from the start of the prompt (scoring cost is bounded). */
  maxFeatures: number;
  /** One per subject. */
  bias: Float64Array;
  /** 2^bits × subjects, bucket-major, times `scale`. */
  weights: Int8Array;
  scale: number;
  /** Each subject's difficulty: what the posterior averages (its mean target, smoothed). */
  difficulty: Float64Array;
  /** How much the expected difficulty adds to the router's logit on multiple-choice prompts. */
  weight: number;
}

export interface TrainSubjectClassifierOptions {
  bits: number;
  maxFeatures: number;
  epochs: number;
  l2: number;
  learningRate: number;
  seed: number;
}

export interface SubjectExample {
  indices: Int32Array;
  subject: number;
}

/** Features used for one prompt: the first `maxFeatures` indices, folded; each weighs 1/√m. */
function foldedCount(length: number, maxFeatures: number): number {
  return length < maxFeatures ? length : maxFeatures;
}

/** A gradient below this (a subject's probability error) is not applied. */
const SKIP_BELOW = 1e-3;

/**
 * Softmax regression trained by AdaGrad over shuffled examples (seeded: deterministic), L2 on
 * the weights a step touches. Returns float weights; quantiseSubjectWeights makes them int8.
 */
export function trainSubjectClassifier(examples: readonly SubjectExample[], subjects: number, options: TrainSubjectClassifierOptions): { bias: Float64Array; weights: Float64Array } {
  const size = 1 << options.bits;
  const mask = size - 1;
  const weights = new Float64Array(size * subjects);
  const squares = new Float64Array(size * subjects).fill(1e-8);
  const bias = new Float64Array(subjects);
  const biasSquares = new Float64Array(subjects).fill(1e-8);
  const p = new Float64Array(subjects);
  const live = new Int32Array(subjects);
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
    }
  }
  return { bias, weights };
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

export function softmaxInPlace(z: Float64Array): void {
  let top = -Infinity;
  for (let s = 0; s < z.length; s++) if (z[s]! > top) top = z[s]!;
  let sum = 0;
  for (let s = 0; s < z.length; s++) {
    const e = Math.exp(z[s]! - top);
    z[s] = e;
    sum += e;
  }
  for (let s = 0; s < z.length; s++) z[s] = z[s]! / sum;
}

/** The posterior over subjects for features in `buffer`, into `out` (length: subjects). */
export function subjectPosterior(classifier: SubjectClassifier, buffer: FeatureBuffer, sums: Int32Array, out: Float64Array): Float64Array {
  const subjects = classifier.bias.length;
  const mask = (1 << classifier.bits) - 1;
  const m = foldedCount(buffer.length, classifier.maxFeatures);
  const weights = classifier.weights;
  const indices = buffer.indices;
  sums.fill(0);
  for (let k = 0; k < m; k++) {
    const row = (indices[k]! & mask) * subjects;
    for (let s = 0; s < subjects; s++) sums[s] = sums[s]! + weights[row + s]!;
  }
  const factor = m > 0 ? classifier.scale / Math.sqrt(m) : 0;
  for (let s = 0; s < subjects; s++) out[s] = classifier.bias[s]! + sums[s]! * factor;
  softmaxInPlace(out);
  return out;
}

/** Σ p(subject) · difficulty(subject) for features in `buffer`. */
export function expectedSubjectDifficulty(classifier: SubjectClassifier, buffer: FeatureBuffer, sums: Int32Array, posterior: Float64Array): number {
  subjectPosterior(classifier, buffer, sums, posterior);
  let e = 0;
  for (let s = 0; s < posterior.length; s++) e += posterior[s]! * classifier.difficulty[s]!;
  return e;
}
