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

/** A reusable sparse vector: hashed indices with their values, and the dense features apart. */
export interface FeatureBuffer {
  indices: Int32Array;
  values: Float32Array;
  length: number;
  /** Raw dense values (before standardisation), DENSE_FEATURES order. */
  dense: Float64Array;
}

export function createFeatureBuffer(capacity = 1024): FeatureBuffer {
  return { indices: new Int32Array(capacity), values: new Float32Array(capacity), length: 0, dense: new Float64Array(DENSE_COUNT) };
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

function push(buffer: FeatureBuffer, index: number): void {
  if (buffer.length === buffer.indices.length) {
    const indices = new Int32Array(buffer.indices.length * 2);
    indices.set(buffer.indices);
    const values = new Float32Array(buffer.values.length * 2);
    values.set(buffer.values);
    buffer.indices = indices;
    buffer.values = values;
  }
  buffer.indices[buffer.length++] = index;
}

const enum Kind {
  None,
  Letter,
  Digit,
  Symbol,
}

/**
 * Fills `buffer` with the features of `text`. Every hashed feature gets the value 1/√n (n: the
 * number of hashed features), so long and short prompts weigh alike; repeated features simply
 * repeat (counts). Deterministic: same text and options → same buffer.
 */
export function extractPromptFeatures(text: string, options: FeatureOptions, buffer: FeatureBuffer): void {
  const mask = (1 << options.hashBits) - 1;
  const bigrams = options.wordBigrams;
  const n = options.charNgram;
  buffer.length = 0;
  let words = 0;
  let numbers = 0;
  let digits = 0;
  let symbols = 0;
  let lines = 1;
  let questionMarks = 0;
  let longestNumber = 0;
  let optionLines = 0;
  let lineStart = true;
  let kind = Kind.None;
  let tokenHash = 0;
  let tokenLength = 0;
  let previous = 0;
  let hasPrevious = false;
  // A rolling window of the last n lowercased code units, for the character n-grams.
  const window = n > 0 ? new Int32Array(n) : undefined;
  let seen = 0;

  const endToken = (): void => {
    if (kind === Kind.None) return;
    let h: number;
    if (kind === Kind.Digit) {
      numbers++;
      if (tokenLength > longestNumber) longestNumber = tokenLength;
      // Numbers by shape (digit count), not value: values rarely repeat across prompts.
      h = mix(SEED_WORD ^ (0x4e000000 + Math.min(tokenLength, 6)));
    } else {
      if (kind === Kind.Letter) words++;
      h = mix(tokenHash);
    }
    push(buffer, h & mask);
    if (bigrams && hasPrevious) push(buffer, mix(Math.imul(previous ^ SEED_BIGRAM, 0x01000193) ^ h) & mask);
    previous = h;
    hasPrevious = true;
    kind = Kind.None;
  };

  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    const isLetter = (c >= 97 && c <= 122) || c >= 128;
    const isDigit = c >= 48 && c <= 57;
    if (isDigit) digits++;
    if (lineStart && c >= 97 && c <= 104 && (text.charCodeAt(i + 1) === 46 || text.charCodeAt(i + 1) === 41) && text.charCodeAt(i) <= 90) optionLines++;
    const next = isLetter ? Kind.Letter : isDigit ? Kind.Digit : Kind.None;
    if (next !== kind) endToken();
    if (next !== Kind.None) {
      if (kind === Kind.None) {
        kind = next;
        tokenHash = SEED_WORD;
        tokenLength = 0;
      }
      tokenHash = Math.imul(tokenHash ^ c, 0x01000193);
      tokenLength++;
    } else if (c > 32) {
      symbols++;
      if (c === 63) questionMarks++;
      // Punctuation and operators are tokens of their own (`$`, `%`, `=`, `|`, `?`).
      kind = Kind.Symbol;
      tokenHash = Math.imul(SEED_WORD ^ 0x7f000000 ^ c, 0x01000193);
      endToken();
    }
    lineStart = c === 10 || (lineStart && (c === 32 || c === 9));
    if (c === 10) lines++;
    if (window !== undefined) {
      window[seen % n] = c === 9 || c === 10 || c === 13 ? 32 : c;
      seen++;
      if (seen >= n) {
        let h = SEED_CHAR;
        for (let k = seen - n; k < seen; k++) h = Math.imul(h ^ window[k % n]!, 0x01000193);
        push(buffer, mix(h) & mask);
      }
    }
  }
  endToken();

  const scale = buffer.length > 0 ? 1 / Math.sqrt(buffer.length) : 0;
  buffer.values.fill(scale, 0, buffer.length);
  const chars = text.length;
  const dense = buffer.dense;
  dense[0] = Math.log1p(chars);
  dense[1] = Math.log1p(words);
  dense[2] = Math.log1p(numbers);
  dense[3] = chars > 0 ? digits / chars : 0;
  dense[4] = Math.log1p(lines);
  dense[5] = Math.log1p(longestNumber);
  dense[6] = chars > 0 ? symbols / chars : 0;
  dense[7] = Math.log1p(questionMarks);
  dense[8] = optionLines >= 2 ? 1 : 0;
}
