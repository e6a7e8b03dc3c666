import { DENSE_COUNT, kindSalt, setFeatureCount, type FeatureBuffer, type FeatureOptions } from "./feature-buffer.js";
import { hashScannedTokens, mix, mixPair, scanPromptTokens, scannedTokens } from "./scan-prompt-tokens.js";

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
  const tokenCount = scanPromptTokens(text, options, buffer);
  const mask = (1 << options.hashBits) - 1;
  const salt = kindSalt(options, buffer, mask);
  const indices = buffer.indices;
  const firstOnly = first !== undefined && buffer.dense[DENSE_COUNT - 1] === 0;
  const outcomesOnly = table.length === 2 * (mask + 1);
  if (outcomesOnly && first === undefined) throw new RangeError("a table of the two outcome models needs the gain table (first) for prompts without options");
  let count: number;
  if (firstOnly && options.wordBigrams && options.charNgram === 0) {
    count = hashTokensSummedInteger(scannedTokens, tokenCount, mask, salt, indices, first);
    sums[0] = weightSum;
    sums[1] = 0;
    sums[2] = 0;
  } else if (options.wordBigrams && options.charNgram === 0) {
    count = outcomesOnly ? hashTokensOutcomes(scannedTokens, tokenCount, mask, salt, indices, table, sums) : hashTokensStacked(scannedTokens, tokenCount, mask, salt, indices, table, sums);
  } else {
    count = hashScannedTokens(options, tokenCount, mask, salt, indices);
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
  setFeatureCount(buffer, count);
}

/** The second result of hashTokensSummedInteger (a module variable: no object per call). */
let weightSum = 0;

/**
 * The finishing loop with word pairs (extract-prompt-features.ts) over one integer table (version 3's gain model on prompts without options). A
 * copy, not one function over float32 and integer tables: a table read that sees two element kinds
 * is polymorphic in the hottest loop of scoring. (Int8 and int16 tables are both integer: a process
 * scores with one kind unless it loads routers of both, and then pays the polymorphic read.)
 */
function hashTokensSummedInteger(tokens: Int32Array, tokenCount: number, mask: number, salt: number, indices: Int32Array, weights: IntegerTable): number {
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
      at = (mixPair(previous, h) & mask) ^ salt;
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
      at = (mixPair(previous, h) & mask) ^ salt;
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
      at = (mixPair(previous, h) & mask) ^ salt;
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

