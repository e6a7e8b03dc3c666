/**
 * What the prompt features are (options, the dense features' names) and the reusable buffer the
 * extractors fill (extract-prompt-features.ts, extract-prompt-features-stacked.ts).
 */
export interface FeatureOptions {
  /** log2 of the number of hash buckets. */
  hashBits: number;
  /** Hash word pairs as well as single words. */
  wordBigrams: boolean;
  /** Character n-gram length over the lowercased text (0: none). */
  charNgram: number;
  /**
   * Hash the words of multiple-choice prompts and of the others into different buckets, so that
   * what a word says about a quiz question is learned apart from what it says about a word problem.
   */
  separateKinds?: boolean;
}

/** The dense features, in order; the router file stores their training mean and scale under these names. */
export const DENSE_FEATURES = [
  "logChars",
  "logWords",
  "logNumbers",
  "digitShare",
  "logLines",
  "logLongestNumber",
  "symbolShare",
  "logQuestionMarks",
  "multipleChoice",
] as const;
export const DENSE_COUNT = DENSE_FEATURES.length;

/** A reusable sparse vector: hashed indices, the value they all carry, and the dense features apart. */
export interface FeatureBuffer {
  indices: Int32Array;
  /** The value of every hashed feature: 1/√length, rounded to float32 (0 for no features). */
  value: number;
  length: number;
  /** Raw dense values (before standardisation), DENSE_FEATURES order. */
  dense: Float64Array;
}

export function createFeatureBuffer(capacity = 1024): FeatureBuffer {
  return { indices: new Int32Array(capacity), value: 0, length: 0, dense: new Float64Array(DENSE_COUNT) };
}

/** Sets the buffer's feature count and the value every hashed feature carries (1/√n as float32). */
export function setFeatureCount(buffer: FeatureBuffer, count: number): void {
  buffer.length = count;
  buffer.value = count > 0 ? Math.fround(1 / Math.sqrt(count)) : 0;
}

/**
 * The salt XORed into the bucket indices of prompts without options when `separateKinds` (read
 * after the scan, which sets the multiple-choice feature): a permutation of the buckets, the same
 * collisions in another place.
 */
export function kindSalt(options: FeatureOptions, buffer: FeatureBuffer, mask: number): number {
  return options.separateKinds === true && buffer.dense[DENSE_COUNT - 1] === 0 ? 0x2d5a6b3 & mask : 0;
}
