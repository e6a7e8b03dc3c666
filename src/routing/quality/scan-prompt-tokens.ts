import type { FeatureBuffer, FeatureOptions } from "./feature-buffer.js";
import { HEAD_CHARS, MAX_SCORED_CHARS, TAIL_CHARS } from "./scored-text.js";

/**
 * The scan over a prompt's characters that the feature extractors share: each token's raw hash
 * (words case-folded, numbers by digit count, each punctuation or operator character) and the
 * dense shape features, in one pass over the scored text's code units; and the hashes that finish
 * the tokens into bucket indices. Written for speed (docs/quality-router.md, "Speed"); the first,
 * simpler loop is the test oracle in testing/reference-prompt-features.ts.
 */
// Not exported: an exported binding is read from its module cell at every use, where a constant of
// the module is folded into the optimised loop (an exported FNV_PRIME cost the scan ≈ 15%).
const SEED_WORD = 0x811c9dc5;
const SEED_BIGRAM = 0x2545f491;
const SEED_CHAR = 0x9e3779b9;
const FNV_PRIME = 0x01000193;

/** The murmur3 finaliser: a token's raw FNV-1a hash (or a word pair's) into its bucket hash. */
export function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The bucket hash of a word pair, from the bucket hashes (mix) of its two tokens. */
export function mixPair(previous: number, h: number): number {
  return mix(Math.imul(previous ^ SEED_BIGRAM, FNV_PRIME) ^ h);
}

/**
 * Each code unit as it is hashed inside a word, 0 for those that are not part of words: ASCII
 * letters case-folded, everything from 128 up as it is. One look-up tells both, without a branch.
 */
const WORD_UNIT = new Uint16Array(65536).map((_, c) => (c >= 65 && c <= 90 ? c + 32 : (c >= 97 && c <= 122) || c >= 128 ? c : 0));

/** The scored text's code units and a 0 after them (copyCodeUnits), reused from call to call. */
let unitBuffer = new Uint16Array(1024);
let unitBytes = Buffer.from(unitBuffer.buffer);

/** The raw hash of each token of the last scan, reused from call to call (grown when a prompt has more tokens). */
export let scannedTokens = new Int32Array(1024);

/** Room for `size` token hashes in scannedTokens, reused from call to call. */
function scannedTokensOf(size: number): Int32Array {
  if (scannedTokens.length < size) scannedTokens = new Int32Array(Math.max(size, 2 * scannedTokens.length));
  return scannedTokens;
}

/** How many code units the last scan read. */
let scoredUnits = 0;

/**
 * The scan: the raw hash of every token into `scannedTokens`, the dense features into
 * `buffer.dense`, room for the indices in `buffer.indices`; returns the number of tokens.
 * One tight inner loop per token kind (a word costs one table look-up, case fold included, and one
 * multiply per character), no substring, no per-token object, no closure.
 */
export function scanPromptTokens(text: string, options: FeatureOptions, buffer: FeatureBuffer): number {
  const n = options.charNgram;
  const length = text.length;
  const units = copyCodeUnits(text);
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
  const tokens = scannedTokensOf(scored + 1);
  // A local: the optimising compiler then reads the table at a fixed address.
  const wordUnit = WORD_UNIT;
  let tokenCount = 0;
  let i = 0;
  while (i < scored) {
    let c = units[i]!;
    let unit = wordUnit[c]!;
    let h: number;
    if (unit !== 0) {
      // An option line: "A." or "B)" … "H." first on its line.
      if (lineStart && c >= 65 && c <= 72) {
        const after = units[i + 1]!;
        if (after === 46 || after === 41) optionLines++;
      }
      h = SEED_WORD;
      // The 0 after the last unit (copyCodeUnits) ends a word or number: no end-of-text check per
      // character. Unrolled four times: one loop check per four characters.
      for (;;) {
        h = Math.imul(h ^ unit, FNV_PRIME);
        unit = wordUnit[units[++i]!]!;
        if (unit === 0) break;
        h = Math.imul(h ^ unit, FNV_PRIME);
        unit = wordUnit[units[++i]!]!;
        if (unit === 0) break;
        h = Math.imul(h ^ unit, FNV_PRIME);
        unit = wordUnit[units[++i]!]!;
        if (unit === 0) break;
        h = Math.imul(h ^ unit, FNV_PRIME);
        unit = wordUnit[units[++i]!]!;
        if (unit === 0) break;
      }
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

/**
 * The UTF-16 code units of the scored text (scoredTextOf) in a typed array reused from call to call
 * (native copies; a long prompt's head is copied from the string itself, its tail from a slice),
 * followed by a 0 so that looking one unit past the end reads no stale unit.
 */
function copyCodeUnits(text: string): Uint16Array {
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

/**
 * The general finishing loop: every scanned token's index and its pair's, then the character
 * n-grams of the scanned code units; returns the count.
 */
export function hashScannedTokens(options: FeatureOptions, tokenCount: number, mask: number, salt: number, indices: Int32Array): number {
  const tokens = scannedTokens;
  let count = 0;
  let previous = 0;
  for (let k = 0; k < tokenCount; k++) {
    const h = mix(tokens[k]!);
    indices[count++] = (h & mask) ^ salt;
    if (options.wordBigrams && k > 0) indices[count++] = (mixPair(previous, h) & mask) ^ salt;
    previous = h;
  }
  if (options.charNgram > 0) count = addCharNgrams(options.charNgram, mask, salt, indices, count);
  return count;
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
