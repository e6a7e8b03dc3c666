import type { FeatureBuffer } from "./feature-buffer.js";
import { softmaxInPlace } from "./softmax-in-place.js";
import { MAX_SUBJECT_FEATURES, type SubjectClassifier } from "./subject-classifier.js";

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
