/**
 * The feature extraction as first written (one flat loop over the characters), kept as the test
 * oracle for the faster `extractPromptFeatures`: both must give the same features for any text.
 */
import { scoredTextOf } from "../scored-text.js";
import type { FeatureBuffer, FeatureOptions } from "../feature-buffer.js";

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

// Token kinds (plain numbers: the hot loop compares them millions of times).
const NONE = 0;
const LETTER = 1;
const DIGIT = 2;
const SYMBOL = 3;

/** Kind of each ASCII code unit; everything from 128 up counts as a letter. */
const KIND_OF = new Uint8Array(128).map((_, c) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? LETTER : c >= 48 && c <= 57 ? DIGIT : c > 32 && c < 127 ? SYMBOL : NONE,
);

/**
 * Fills `buffer` with the features of `text`. Every hashed feature gets the value 1/√n (n: the
 * number of hashed features), so long and short prompts weigh alike; repeated features simply
 * repeat (counts). Deterministic: same text and options → same buffer. One flat loop with no
 * closure: variables captured by a closure live in a heap context in V8, which made this 5× slower.
 */
export function referencePromptFeatures(whole: string, options: FeatureOptions, buffer: FeatureBuffer, weights?: Float32Array): number {
  const text = scoredTextOf(whole);
  const mask = (1 << options.hashBits) - 1;
  const bigrams = options.wordBigrams;
  const n = options.charNgram;
  const length = text.length;
  const from = 0;
  // Room for the worst case (every character a token with its bigram, plus the character n-grams), so the loop never checks.
  const capacity = 2 * (length - from) + (n > 0 ? length - from : 0) + 2;
  if (buffer.indices.length < capacity) buffer.indices = new Int32Array(capacity);
  const indices = buffer.indices;
  let count = 0;
  let words = 0;
  let numbers = 0;
  let digits = 0;
  let symbols = 0;
  let lines = 1;
  let questionMarks = 0;
  let longestNumber = 0;
  let optionLines = 0;
  let lineStart = true;
  let kind = NONE;
  let tokenHash = 0;
  let tokenLength = 0;
  let previous = 0;
  let hasPrevious = false;
  const window = n > 0 ? new Int32Array(n) : undefined;
  const noWindow = window === undefined;

  for (let i = from; i <= length; i++) {
    // i === length is a virtual space that ends the last token.
    let c = i < length ? text.charCodeAt(i) : 32;
    // The common case, a lowercase letter inside a word: only the word's hash changes.
    if (c >= 97 && c <= 122 && kind === LETTER && noWindow) {
      tokenHash = Math.imul(tokenHash ^ c, 0x01000193);
      lineStart = false;
      continue;
    }
    if (c >= 65 && c <= 90) {
      if (lineStart && c <= 72) {
        const after = text.charCodeAt(i + 1);
        if (after === 46 || after === 41) optionLines++;
      }
      c += 32;
    }
    const next = c < 128 ? KIND_OF[c]! : LETTER;
    if (kind !== NONE && (next !== kind || kind === SYMBOL)) {
      // The token that just ended.
      let h: number;
      if (kind === DIGIT) {
        numbers++;
        if (tokenLength > longestNumber) longestNumber = tokenLength;
        // Numbers by shape (digit count), not value: values rarely repeat across prompts.
        h = mix(SEED_WORD ^ (0x4e000000 + (tokenLength < 6 ? tokenLength : 6)));
      } else {
        if (kind === LETTER) words++;
        h = mix(tokenHash);
      }
      indices[count++] = h & mask;
      if (bigrams && hasPrevious) indices[count++] = mix(Math.imul(previous ^ SEED_BIGRAM, 0x01000193) ^ h) & mask;
      previous = h;
      hasPrevious = true;
      kind = NONE;
    }
    if (next === LETTER || next === DIGIT) {
      if (kind === NONE) {
        kind = next;
        tokenHash = SEED_WORD;
        tokenLength = 0;
      }
      tokenHash = Math.imul(tokenHash ^ c, 0x01000193);
      tokenLength++;
      if (next === DIGIT) digits++;
    } else if (next === SYMBOL) {
      // Punctuation and operators are tokens of their own (`$`, `%`, `=`, `|`, `?`).
      symbols++;
      if (c === 63) questionMarks++;
      kind = SYMBOL;
      tokenHash = Math.imul(SEED_WORD ^ 0x7f000000 ^ c, 0x01000193);
    }
    if (i === length) break;
    if (c === 10) {
      lines++;
      lineStart = true;
    } else if (c !== 32 && c !== 9) {
      lineStart = false;
    }
    if (window !== undefined) {
      window[i % n] = c === 9 || c === 10 || c === 13 ? 32 : c;
      if (i + 1 - from >= n) {
        let h = SEED_CHAR;
        for (let k = i + 1 - n; k <= i; k++) h = Math.imul(h ^ window[k % n]!, 0x01000193);
        indices[count++] = mix(h) & mask;
      }
    }
  }

  const multipleChoice = optionLines >= 2;
  if (options.separateKinds === true && !multipleChoice) {
    // XOR with a constant permutes the buckets: the same collisions, in another place.
    const salt = 0x2d5a6b3 & mask;
    for (let i = 0; i < count; i++) indices[i] = indices[i]! ^ salt;
  }
  buffer.length = count;
  buffer.value = count > 0 ? Math.fround(1 / Math.sqrt(count)) : 0;
  const dense = buffer.dense;
  dense[0] = Math.log1p(whole.length);
  dense[1] = Math.log1p(words);
  dense[2] = Math.log1p(numbers);
  dense[3] = length > from ? digits / (length - from) : 0;
  dense[4] = Math.log1p(lines);
  dense[5] = Math.log1p(longestNumber);
  dense[6] = length > from ? symbols / (length - from) : 0;
  dense[7] = Math.log1p(questionMarks);
  dense[8] = multipleChoice ? 1 : 0;
  let sum = 0;
  if (weights !== undefined) for (let k = 0; k < count; k++) sum += weights[indices[k]!]!;
  return sum;
}
