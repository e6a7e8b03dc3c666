import { createSeededRandom } from "../../core/create-seeded-random.js";
import type { FeatureBuffer } from "./feature-buffer.js";

/**
 * A many-way subject classifier (multinomial logistic regression) over the first hashed features
 * of a prompt, folded into 2^bits buckets (the low bits of the router's own bucket indices, so no
 * second pass over the text). Its posterior over the subjects turns into the prompt's expected
 * subject difficulty: Σ p(subject | prompt) · difficulty(subject).
 *
 * Weights are stored as int8 with one scale for the table (the file budget), bucket-major: the
 * subjects' weights of one bucket are neighbours (the scorer gives each bucket one cache line).
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
  /**
   * Weights of dense inputs (inputs × subjects, input-major), when trained with them: comparison
   * only (word vectors, word-vector-candidates.ts); router files and createSubjectScorer have none.
   */
  dense?: Float64Array;
}

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

/**
 * A posterior moved by dense inputs (comparison only): p ← softmax(log p + Wᵀx), W the classifier's
 * `dense` weights (inputs × subjects) and x the standardised inputs. In place.
 */
export function shiftPosterior(p: Float64Array, weights: Float64Array, x: ArrayLike<number>): void {
  const subjects = p.length;
  for (let s = 0; s < subjects; s++) {
    let z = Math.log(p[s]! + 1e-300);
    for (let j = 0; j < x.length; j++) z += weights[j * subjects + s]! * x[j]!;
    p[s] = z;
  }
  softmaxInPlace(p);
}

/**
 * The most features a classifier may read (`maxFeatures`; files are refused above it). The limit of
 * an earlier packing, kept so every file stays valid; the scorer below sums any count exactly.
 */
export const MAX_SUBJECT_FEATURES = 514;

/** The posterior and expected difficulty of a classifier, over features in a buffer; reuses its arrays. */
export interface SubjectScorer {
  /** The posterior over subjects (a view reused by the next call). */
  posterior(buffer: FeatureBuffer): Float64Array;
  /** Σ p(subject) · difficulty(subject). */
  expectedDifficulty(buffer: FeatureBuffer): number;
}

/** WebAssembly.Memory (the project's TypeScript libraries declare no value for it). */
const PageAlignedMemory = (globalThis as unknown as { WebAssembly: { Memory: new (pages: { initial: number }) => { buffer: ArrayBuffer } } }).WebAssembly.Memory;

/** Row bytes: a bucket's weights in one 64-byte cache line (57 subjects fit; more take whole lines). */
const LINE = 64;
/** Features summed in 16-bit lanes before they are moved to float64: 256 × 255 < 2^16, no lane carries. */
const CHUNK = 256;

/**
 * The first word of each of the prompt's rows, read in a loop whose reads wait on nothing, so their
 * cache misses overlap; each row's offset into `rows`. Returns what it read (to be used).
 */
function touchRows(table: Int32Array, indices: Int32Array, m: number, mask: number, stride: number, rows: Int32Array): number {
  let touched = 0;
  for (let k = 0; k < m; k++) {
    const row = (indices[k]! & mask) * stride;
    rows[k] = row;
    touched |= table[row]!;
  }
  return touched;
}

/**
 * The byte sums of the rows at `rows` (offsets from touchRows), into `sums` (subject order):
 * two words of the line at a time over every row, so the four 16-bit lane sums stay in registers
 * (the rows are in the L1 cache by then: 128 rows are 8 KB); `zero` starts every sum.
 */
function sumRows(table: Int32Array, rows: Int32Array, m: number, words: number, sums: Float64Array, zero: number): void {
  for (let j = 0; j < words; j += 2) {
    let s0 = zero;
    let s1 = zero;
    let s2 = zero;
    let s3 = zero;
    let s4 = zero;
    let s5 = zero;
    let s6 = zero;
    let s7 = zero;
    for (let start = 0; start < m; start += CHUNK) {
      const end = start + CHUNK < m ? start + CHUNK : m;
      let even = 0;
      let odd = 0;
      let nextEven = 0;
      let nextOdd = 0;
      for (let k = start; k < end; k++) {
        const at = rows[k]! + j;
        const w = table[at]!;
        const v = table[at + 1]!;
        even = (even + (w & 0x00ff00ff)) | 0;
        odd = (odd + ((w >>> 8) & 0x00ff00ff)) | 0;
        nextEven = (nextEven + (v & 0x00ff00ff)) | 0;
        nextOdd = (nextOdd + ((v >>> 8) & 0x00ff00ff)) | 0;
      }
      // Little-endian: byte 0 (subject 4j) is the even word's low lane, byte 2 its high lane.
      s0 += even & 0xffff;
      s1 += odd & 0xffff;
      s2 += even >>> 16;
      s3 += odd >>> 16;
      s4 += nextEven & 0xffff;
      s5 += nextOdd & 0xffff;
      s6 += nextEven >>> 16;
      s7 += nextOdd >>> 16;
    }
    const at = 4 * j;
    sums[at] = s0;
    sums[at + 1] = s1;
    sums[at + 2] = s2;
    sums[at + 3] = s3;
    sums[at + 4] = s4;
    sums[at + 5] = s5;
    sums[at + 6] = s6;
    sums[at + 7] = s7;
  }
}

/**
 * Scoring with the weights as bytes: each bucket's int8 weights offset to 0..255, one bucket to a
 * 64-byte line of a line-aligned table (2 MB for 2^15 buckets), read four at a time as an int32 and
 * split into two words of two 16-bit lanes (even and odd bytes), so a feature costs one cache line
 * and ⌈subjects / 4⌉ × 2 integer additions; the sums are exact, as one int8 addition per subject.
 * The rows a prompt needs are first touched in a loop of their own, whose reads do not wait on one
 * another, so their cache misses overlap. Measured against three subjects packed to a float64
 * (152-byte rows, 5 MB; docs/quality-router.md, "The subject classifier's reads"): 0.82–0.89 of the
 * CPU per score on 2,000-token multiple-choice prompts whose words miss the cache.
 */
export function createSubjectScorer(classifier: SubjectClassifier): SubjectScorer {
  const subjects = classifier.bias.length;
  const mask = (1 << classifier.bits) - 1;
  const maxFeatures = Math.min(classifier.maxFeatures, MAX_SUBJECT_FEATURES);
  const words = Math.ceil(subjects / 4);
  const stride = (LINE / 4) * Math.ceil((4 * words) / LINE);
  const byteLength = (mask + 1) * stride * 4;
  // A WebAssembly memory is page-aligned (an ArrayBuffer's start is not): rows stay within their line.
  const memory = new PageAlignedMemory({ initial: Math.ceil(byteLength / 65536) }).buffer;
  const bytes = new Uint8Array(memory, 0, byteLength);
  const weights = classifier.weights;
  for (let b = 0; b <= mask; b++) for (let s = 0; s < subjects; s++) bytes[4 * b * stride + s] = weights[b * subjects + s]! + 128;
  const table = new Int32Array(memory, 0, byteLength / 4);
  const rows = new Int32Array(Math.max(1, maxFeatures));
  // Whole words of the line (even count): the summing loop reads two words at a time.
  const sums = new Float64Array(4 * (words + (words & 1)));
  const out = new Float64Array(subjects);
  const posterior = (buffer: FeatureBuffer): Float64Array => {
    const m = buffer.length < maxFeatures ? buffer.length : maxFeatures;
    const touched = touchRows(table, buffer.indices, m, mask, stride, rows);
    // `touched & 0` is 0 whatever was read: keeps the touching loop from being optimised away.
    sumRows(table, rows, m, words, sums, touched & 0);
    const factor = m > 0 ? classifier.scale / Math.sqrt(m) : 0;
    const offset = 128 * m;
    for (let s = 0; s < subjects; s++) out[s] = classifier.bias[s]! + (sums[s]! - offset) * factor;
    softmaxInPlace(out);
    return out;
  };
  return {
    posterior,
    expectedDifficulty: (buffer) => {
      const p = posterior(buffer);
      let e = 0;
      for (let s = 0; s < subjects; s++) e += p[s]! * classifier.difficulty[s]!;
      return e;
    },
  };
}
