/**
 * Features of a prompt for the learned router, computed in one pass over the characters: hashed
 * word unigrams and bigrams (and optionally character n-grams) into 2^hashBits buckets, plus a few
 * dense shape features (length, numbers, lines, …) placed after the hashed space. Hand-written
 * because it has to fit a 100 µs budget for an 8,000-character prompt; tokenizing with
 * gpt-tokenizer alone costs more than that (measured: docs/quality-router.md).
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

/**
 * A longer prompt is read as its first HEAD_CHARS characters (where a question starts: what the
 * subject classifier reads) and its last TAIL_CHARS (the options of a quiz, a conversation's latest
 * turn), joined by a line break, so scoring cost is bounded whatever the prompt size; `logChars`
 * still counts the whole text. 5,120 is above every training prompt (the longest has 4,868
 * characters: the shipped router's features are unchanged) and cuts the cost of a 2,000-token
 * prompt by a third or more (docs/quality-router.md, "Reading long prompts").
 */
export const MAX_SCORED_CHARS = 5_120;
export const HEAD_CHARS = 2_560;
export const TAIL_CHARS = MAX_SCORED_CHARS - HEAD_CHARS;

/** The text the features are computed from (see MAX_SCORED_CHARS); the scan writes the same code units without this string. */
export function scoredTextOf(text: string): string {
  return text.length > MAX_SCORED_CHARS ? `${text.slice(0, HEAD_CHARS)}\n${text.slice(text.length - TAIL_CHARS)}` : text;
}

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

const SEED_WORD = 0x811c9dc5;
const SEED_BIGRAM = 0x2545f491;
const SEED_CHAR = 0x9e3779b9;

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Each code unit as it is hashed inside a word, 0 for those that are not part of words: ASCII
 * letters case-folded, everything from 128 up as it is. One look-up tells both, without a branch.
 */
const WORD_UNIT = new Uint16Array(65536).map((_, c) => (c >= 65 && c <= 90 ? c + 32 : (c >= 97 && c <= 122) || c >= 128 ? c : 0));

const FNV_PRIME = 0x01000193;

/**
 * Fills `buffer` with the features of `text`. Every hashed feature gets the value 1/√n (n: the
 * number of hashed features), so long and short prompts weigh alike; repeated features simply
 * repeat (counts). Deterministic: same text and options → same buffer. With `weights` (one per
 * bucket), returns their sum over the hashed features in index order (the same number a loop over
 * `buffer.indices` gives), added as the indices are made: the table reads overlap the hashing.
 *
 * Speed (the 100 µs budget; measured in docs/quality-router.md): the code units are read from a
 * reused typed array, one tight inner loop per token kind, so a word costs one table look-up (case
 * fold included) and one multiply per character, and a second loop finishes the token hashes; no
 * substring, no per-token object, no closure (variables captured by a closure live in a heap
 * context in V8). The first, simpler loop is the test oracle in testing/reference-prompt-features.ts.
 */
export function extractPromptFeatures(text: string, options: FeatureOptions, buffer: FeatureBuffer, weights?: Float32Array): number {
  const tokenCount = scanTokens(text, options, buffer);
  const mask = (1 << options.hashBits) - 1;
  const bigrams = options.wordBigrams;
  const n = options.charNgram;
  const indices = buffer.indices;
  const tokens = tokenBuffer;
  let count = 0;
  // XOR with a constant permutes the buckets: the same collisions, in another place.
  const salt = options.separateKinds === true && buffer.dense[DENSE_COUNT - 1] === 0 ? 0x2d5a6b3 & mask : 0;
  // The tokens' hashes are finished here, apart from the branchy scan: a loop without
  // unpredictable branches, so the CPU overlaps the multiplications of successive tokens.
  let sum = 0;
  if (weights !== undefined && bigrams && n === 0) {
    // Scoring: the weights summed as the indices are made (the same order as the loop below).
    count = hashTokensSummed(tokens, tokenCount, mask, salt, indices, weights);
    sum = weightSum;
  } else {
    count = hashTokens(options, tokenCount, mask, salt, indices);
    if (weights !== undefined) for (let k = 0; k < count; k++) sum += weights[indices[k]!]!;
  }
  setValue(buffer, count);
  return sum;
}

/**
 * A version 3 scoring table: int16 weights, or int8 when every weight of the model fits in a byte
 * (createStage1Scorer: half the memory, so more of the table stays in the CPU cache).
 */
export type IntegerTable = Int16Array | Int8Array;

/**
 * The same features, for a model of three hashed tables read at the same index (version 3: the
 * gain, "strong right" and "weak right" models), `table` interleaving them per bucket in one of two
 * layouts, told apart by its length: four integers per bucket (gain, strong, weak, unused: one aligned
 * cell, one cache line per feature), or two (strong, weak: half the memory, for a scorer whose
 * multiple-choice score never reads the gain; sums[0] is then 0 on those prompts).
 * `sums` receives the integer sums over the hashed features (exact in any order). With `first`
 * (the gain table alone, one integer per bucket), prompts without options sum only it (sums[1] and
 * sums[2] are then 0): the scan knows the kind before the weights are read.
 */
export function extractPromptFeaturesStacked(text: string, options: FeatureOptions, buffer: FeatureBuffer, table: IntegerTable, sums: Float64Array, first?: IntegerTable): void {
  const tokenCount = scanTokens(text, options, buffer);
  const mask = (1 << options.hashBits) - 1;
  const salt = options.separateKinds === true && buffer.dense[DENSE_COUNT - 1] === 0 ? 0x2d5a6b3 & mask : 0;
  const indices = buffer.indices;
  const firstOnly = first !== undefined && buffer.dense[DENSE_COUNT - 1] === 0;
  const outcomesOnly = table.length === 2 * (mask + 1);
  if (outcomesOnly && first === undefined) throw new RangeError("a table of the two outcome models needs the gain table (first) for prompts without options");
  let count: number;
  if (firstOnly && options.wordBigrams && options.charNgram === 0) {
    count = hashTokensSummed16(tokenBuffer, tokenCount, mask, salt, indices, first);
    sums[0] = weightSum;
    sums[1] = 0;
    sums[2] = 0;
  } else if (options.wordBigrams && options.charNgram === 0) {
    count = outcomesOnly ? hashTokensOutcomes(tokenBuffer, tokenCount, mask, salt, indices, table, sums) : hashTokensStacked(tokenBuffer, tokenCount, mask, salt, indices, table, sums);
  } else {
    count = hashTokens(options, tokenCount, mask, salt, indices);
    sums.fill(0);
    for (let k = 0; k < count; k++) {
      const index = indices[k]!;
      if (firstOnly) {
        sums[0] = sums[0]! + first[index]!;
      } else if (outcomesOnly) {
        sums[1] = sums[1]! + table[2 * index]!;
        sums[2] = sums[2]! + table[2 * index + 1]!;
      } else {
        sums[0] = sums[0]! + table[4 * index]!;
        sums[1] = sums[1]! + table[4 * index + 1]!;
        sums[2] = sums[2]! + table[4 * index + 2]!;
      }
    }
  }
  setValue(buffer, count);
}

function setValue(buffer: FeatureBuffer, count: number): void {
  buffer.length = count;
  buffer.value = count > 0 ? Math.fround(1 / Math.sqrt(count)) : 0;
}

/** The general finishing loop: every token's index and its pair's, then the character n-grams; returns the count. */
function hashTokens(options: FeatureOptions, tokenCount: number, mask: number, salt: number, indices: Int32Array): number {
  const tokens = tokenBuffer;
  let count = 0;
  let previous = 0;
  for (let k = 0; k < tokenCount; k++) {
    const h = mix(tokens[k]!);
    indices[count++] = (h & mask) ^ salt;
    if (options.wordBigrams && k > 0) indices[count++] = (mix(Math.imul(previous ^ SEED_BIGRAM, FNV_PRIME) ^ h) & mask) ^ salt;
    previous = h;
  }
  if (options.charNgram > 0) count = addCharNgrams(options.charNgram, mask, salt, indices, count);
  return count;
}

/**
 * The scan over the characters: the raw hash of every token into the reused token buffer, the
 * dense features into `buffer.dense`, room for the indices in `buffer.indices`; returns the
 * number of tokens.
 */
function scanTokens(text: string, options: FeatureOptions, buffer: FeatureBuffer): number {
  const n = options.charNgram;
  const length = text.length;
  // The code units, copied into a typed array: reading those is ≈ 2× faster than charCodeAt in the loop.
  const units = codeUnitsOf(text);
  const scored = scoredUnits;
  // Room for the worst case (every character a token with its bigram, plus the character n-grams), so the loop never checks.
  const capacity = 2 * scored + (n > 0 ? scored : 0) + 8;
  if (buffer.indices.length < capacity) buffer.indices = new Int32Array(capacity);
  let words = 0;
  let numbers = 0;
  let digits = 0;
  let symbols = 0;
  let lines = 1;
  let questionMarks = 0;
  let longestNumber = 0;
  let optionLines = 0;
  let lineStart = true;
  const tokens = tokenBufferOf(scored + 1);
  let tokenCount = 0;
  let i = 0;
  while (i < scored) {
    let c = units[i]!;
    let unit = WORD_UNIT[c]!;
    let h: number;
    if (unit !== 0) {
      // An option line: "A." or "B)" … "H." first on its line.
      if (lineStart && c >= 65 && c <= 72) {
        const after = units[i + 1]!;
        if (after === 46 || after === 41) optionLines++;
      }
      h = SEED_WORD;
      // The 0 after the last unit (codeUnitsOf) ends a word or number: no end-of-text check per character.
      do {
        h = Math.imul(h ^ unit, FNV_PRIME);
        unit = WORD_UNIT[units[++i]!]!;
      } while (unit !== 0);
      words++;
    } else if (c >= 48 && c <= 57) {
      let digitCount = 0;
      do {
        digitCount++;
        c = units[++i]!;
      } while (c >= 48 && c <= 57);
      numbers++;
      digits += digitCount;
      if (digitCount > longestNumber) longestNumber = digitCount;
      // Numbers by shape (digit count), not value: values rarely repeat across prompts.
      h = SEED_WORD ^ (0x4e000000 + (digitCount < 6 ? digitCount : 6));
    } else if (c > 32 && c < 127) {
      // Punctuation and operators are tokens of their own (`$`, `%`, `=`, `|`, `?`).
      symbols++;
      if (c === 63) questionMarks++;
      h = Math.imul(SEED_WORD ^ 0x7f000000 ^ c, FNV_PRIME);
      i++;
    } else {
      // White space and control characters separate tokens; only a line feed starts a line.
      if (c === 10) {
        lines++;
        lineStart = true;
      } else if (c !== 32 && c !== 9) {
        lineStart = false;
      }
      i++;
      continue;
    }
    lineStart = false;
    tokens[tokenCount++] = h;
    // Most tokens end at one space: step over it here rather than in another round of the dispatch.
    if (units[i]! === 32) i++;
  }

  const dense = buffer.dense;
  dense[0] = Math.log1p(length);
  dense[1] = Math.log1p(words);
  dense[2] = Math.log1p(numbers);
  dense[3] = scored > 0 ? digits / scored : 0;
  dense[4] = Math.log1p(lines);
  dense[5] = Math.log1p(longestNumber);
  dense[6] = scored > 0 ? symbols / scored : 0;
  dense[7] = Math.log1p(questionMarks);
  dense[8] = optionLines >= 2 ? 1 : 0;
  return tokenCount;
}

/** The second result of hashTokensSummed (a module variable: no object per call). */
let weightSum = 0;

/**
 * The finishing loop with word pairs for scoring: each token's unigram and pair index, written to
 * `indices` and their weights summed into `weightSum`, in the order of the general loop. Returns
 * the count. The weight reads (a table larger than L2) overlap the next token's hashing.
 */
function hashTokensSummed(tokens: Int32Array, tokenCount: number, mask: number, salt: number, indices: Int32Array, weights: Float32Array): number {
  let sum = 0;
  let count = 0;
  if (tokenCount > 0) {
    let previous = mix(tokens[0]!);
    let at = (previous & mask) ^ salt;
    indices[count++] = at;
    sum += weights[at]!;
    for (let k = 1; k < tokenCount; k++) {
      const h = mix(tokens[k]!);
      at = (h & mask) ^ salt;
      indices[count++] = at;
      sum += weights[at]!;
      at = (mix(Math.imul(previous ^ SEED_BIGRAM, FNV_PRIME) ^ h) & mask) ^ salt;
      indices[count++] = at;
      sum += weights[at]!;
      previous = h;
    }
  }
  weightSum = sum;
  return count;
}

/**
 * hashTokensSummed over one integer table (version 3's gain model on prompts without options). A
 * copy, not one function over float32 and integer tables: a table read that sees two element kinds
 * is polymorphic in the hottest loop of scoring. (Int8 and int16 tables are both integer: a process
 * scores with one kind unless it loads routers of both, and then pays the polymorphic read.)
 */
function hashTokensSummed16(tokens: Int32Array, tokenCount: number, mask: number, salt: number, indices: Int32Array, weights: IntegerTable): number {
  let sum = 0;
  let count = 0;
  if (tokenCount > 0) {
    let previous = mix(tokens[0]!);
    let at = (previous & mask) ^ salt;
    indices[count++] = at;
    sum += weights[at]!;
    for (let k = 1; k < tokenCount; k++) {
      const h = mix(tokens[k]!);
      at = (h & mask) ^ salt;
      indices[count++] = at;
      sum += weights[at]!;
      at = (mix(Math.imul(previous ^ SEED_BIGRAM, FNV_PRIME) ^ h) & mask) ^ salt;
      indices[count++] = at;
      sum += weights[at]!;
      previous = h;
    }
  }
  weightSum = sum;
  return count;
}

/** The finishing loop with word pairs for a stacked table (extractPromptFeaturesStacked): three sums at one read per feature. */
function hashTokensStacked(tokens: Int32Array, tokenCount: number, mask: number, salt: number, indices: Int32Array, table: IntegerTable, sums: Float64Array): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let count = 0;
  if (tokenCount > 0) {
    let previous = mix(tokens[0]!);
    let at = (previous & mask) ^ salt;
    indices[count++] = at;
    let cell = at << 2;
    a += table[cell]!;
    b += table[cell + 1]!;
    c += table[cell + 2]!;
    for (let k = 1; k < tokenCount; k++) {
      const h = mix(tokens[k]!);
      at = (h & mask) ^ salt;
      indices[count++] = at;
      cell = at << 2;
      a += table[cell]!;
      b += table[cell + 1]!;
      c += table[cell + 2]!;
      at = (mix(Math.imul(previous ^ SEED_BIGRAM, FNV_PRIME) ^ h) & mask) ^ salt;
      indices[count++] = at;
      cell = at << 2;
      a += table[cell]!;
      b += table[cell + 1]!;
      c += table[cell + 2]!;
      previous = h;
    }
  }
  sums[0] = a;
  sums[1] = b;
  sums[2] = c;
  return count;
}

/**
 * As hashTokensStacked, for a table of the two outcome models only (two int16 per bucket): sums[0] is 0.
 * A loop of its own rather than hashTokensStacked with a stride: these loops are the scorer's hot path
 * (bench:router), and each keeps its table reads at constant offsets.
 */
function hashTokensOutcomes(tokens: Int32Array, tokenCount: number, mask: number, salt: number, indices: Int32Array, table: IntegerTable, sums: Float64Array): number {
  let b = 0;
  let c = 0;
  let count = 0;
  if (tokenCount > 0) {
    let previous = mix(tokens[0]!);
    let at = (previous & mask) ^ salt;
    indices[count++] = at;
    let cell = at << 1;
    b += table[cell]!;
    c += table[cell + 1]!;
    for (let k = 1; k < tokenCount; k++) {
      const h = mix(tokens[k]!);
      at = (h & mask) ^ salt;
      indices[count++] = at;
      cell = at << 1;
      b += table[cell]!;
      c += table[cell + 1]!;
      at = (mix(Math.imul(previous ^ SEED_BIGRAM, FNV_PRIME) ^ h) & mask) ^ salt;
      indices[count++] = at;
      cell = at << 1;
      b += table[cell]!;
      c += table[cell + 1]!;
      previous = h;
    }
  }
  sums[0] = 0;
  sums[1] = b;
  sums[2] = c;
  return count;
}

let unitBuffer = new Uint16Array(1024);
let unitBytes = Buffer.from(unitBuffer.buffer);
let tokenBuffer = new Int32Array(1024);

/** Room for `size` token hashes, reused from call to call. */
function tokenBufferOf(size: number): Int32Array {
  if (tokenBuffer.length < size) tokenBuffer = new Int32Array(Math.max(size, 2 * tokenBuffer.length));
  return tokenBuffer;
}

/** How many code units the last codeUnitsOf wrote (a module variable: no object per call). */
let scoredUnits = 0;

/**
 * The UTF-16 code units of the scored text (scoredTextOf) in a typed array reused from call to call
 * (native copies; a long prompt's head is copied from the string itself, its tail from a slice),
 * followed by a 0 so that looking one unit past the end reads no stale unit.
 */
function codeUnitsOf(text: string): Uint16Array {
  const length = text.length;
  const cut = length > MAX_SCORED_CHARS;
  const scored = cut ? MAX_SCORED_CHARS + 1 : length;
  if (unitBuffer.length < scored + 1) {
    unitBuffer = new Uint16Array(Math.max(scored + 1, 2 * unitBuffer.length));
    unitBytes = Buffer.from(unitBuffer.buffer);
  }
  if (!cut) {
    unitBytes.write(text, 0, 2 * length, "utf16le");
  } else {
    unitBytes.write(text, 0, 2 * HEAD_CHARS, "utf16le");
    unitBuffer[HEAD_CHARS] = 10;
    unitBytes.write(text.slice(length - TAIL_CHARS), 2 * (HEAD_CHARS + 1), 2 * TAIL_CHARS, "utf16le");
  }
  unitBuffer[scored] = 0;
  scoredUnits = scored;
  return unitBuffer;
}

/** Character n-grams of the case-folded scored text (white space as a space), hashed after the tokens; reads the scan's code units. */
function addCharNgrams(n: number, mask: number, salt: number, indices: Int32Array, count: number): number {
  const window = new Int32Array(n);
  const units = unitBuffer;
  for (let i = 0; i < scoredUnits; i++) {
    let c = units[i]!;
    if (c >= 65 && c <= 90) c += 32;
    window[i % n] = c === 9 || c === 10 || c === 13 ? 32 : c;
    if (i + 1 >= n) {
      let h = SEED_CHAR;
      for (let k = i + 1 - n; k <= i; k++) h = Math.imul(h ^ window[k % n]!, FNV_PRIME);
      indices[count++] = (mix(h) & mask) ^ salt;
    }
  }
  return count;
}
