import { kindSalt, setFeatureCount, type FeatureBuffer, type FeatureOptions } from "./feature-buffer.js";
import { hashScannedTokens, mix, mixPair, scanPromptTokens, scannedTokens } from "./scan-prompt-tokens.js";

/**
 * Features of a prompt for the learned router, computed in one pass over the characters: hashed
 * word unigrams and bigrams (and optionally character n-grams) into 2^hashBits buckets, plus a few
 * dense shape features (length, numbers, lines, …) placed after the hashed space. Hand-written
 * because it has to fit a 100 µs budget for an 8,000-character prompt; tokenizing with
 * gpt-tokenizer alone costs more than that (measured: docs/quality-router.md).
 *
 * Fills `buffer` with the features of `text`. Every hashed feature gets the value 1/√n (n: the
 * number of hashed features), so long and short prompts weigh alike; repeated features simply
 * repeat (counts). Deterministic: same text and options → same buffer. With `weights` (one per
 * bucket), returns their sum over the hashed features in index order (the same number a loop over
 * `buffer.indices` gives), added as the indices are made: the table reads overlap the hashing.
 * The scan (scan-prompt-tokens.ts) collects the tokens' raw hashes; a second loop without
 * unpredictable branches finishes them, so the CPU overlaps the multiplications of successive tokens.
 */
export function extractPromptFeatures(text: string, options: FeatureOptions, buffer: FeatureBuffer, weights?: Float32Array): number {
  const tokenCount = scanPromptTokens(text, options, buffer);
  const mask = (1 << options.hashBits) - 1;
  const indices = buffer.indices;
  const salt = kindSalt(options, buffer, mask);
  let count = 0;
  let sum = 0;
  if (weights !== undefined && options.wordBigrams && options.charNgram === 0) {
    // Scoring: the weights summed as the indices are made (the same order as the loop below).
    count = hashTokensSummed(scannedTokens, tokenCount, mask, salt, indices, weights);
    sum = weightSum;
  } else {
    count = hashScannedTokens(options, tokenCount, mask, salt, indices);
    if (weights !== undefined) for (let k = 0; k < count; k++) sum += weights[indices[k]!]!;
  }
  setFeatureCount(buffer, count);
  return sum;
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
      at = (mixPair(previous, h) & mask) ^ salt;
      indices[count++] = at;
      sum += weights[at]!;
      previous = h;
    }
  }
  weightSum = sum;
  return count;
}
