import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readWordVectors, WORD_VECTOR_SCALARS, wordVectorFeatureCount, wordVectorFeatures } from "./word-vector-features.js";

/** A vector folder as scripts/router-word-vectors.ts writes it: 100 stop words first, then a few with one-hot vectors. */
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "word-vectors-"));
  const words = [...Array.from({ length: 100 }, (_, i) => `stop${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`), "acid", "base", "court", "law", "tempo"];
  const vectors = new Float32Array(words.length * 100);
  words.forEach((_, i) => {
    if (i >= 100) vectors[i * 100 + (i - 100)] = 1;
  });
  vectors[102 * 100 + 2] = 0;
  vectors[102 * 100 + 0] = 1; // "court" points where "acid" does: cosine 1 with it
  writeFileSync(join(dir, "words.txt"), words.join("\n"));
  writeFileSync(join(dir, "vectors.f32"), new Uint8Array(vectors.buffer));
  return dir;
}

describe("word-vector features", () => {
  const vectors = readWordVectors(folder(), 1000);
  const scalar = (x: Float64Array, name: (typeof WORD_VECTOR_SCALARS)[number]): number => x[200 + WORD_VECTOR_SCALARS.indexOf(name)]!;

  it("reads the words in rank order and keeps only the top ones", () => {
    expect(vectors.rank.get("acid")).toBe(100);
    expect(readWordVectors(folder(), 101).rank.has("base")).toBe(false);
    expect(wordVectorFeatureCount(vectors)).toBe(208);
  });

  it("averages the stem's and the options' known words, frequent words left out", () => {
    const x = wordVectorFeatures("Acid STOPAA base?\nA. law\nB. tempo\nAnswer:", vectors);
    expect(x[0]).toBeCloseTo(0.5);
    expect(x[1]).toBeCloseTo(0.5);
    expect(x[100 + 3]).toBeCloseTo(0.5);
    expect(x[100 + 4]).toBeCloseTo(0.5);
    expect(scalar(x, "stemUnknownShare")).toBe(0);
    expect(scalar(x, "optionPairCosine")).toBe(0);
  });

  it("counts unknown words and measures how close the options are to the stem", () => {
    const x = wordVectorFeatures("acid zyxwv\nA. court\nB. tempo\nAnswer:", vectors);
    expect(scalar(x, "stemUnknownShare")).toBe(0.5);
    expect(scalar(x, "stemMaxLogRank")).toBeCloseTo(Math.log(106));
    expect(scalar(x, "stemOptionCosine")).toBeCloseTo(0.5);
    expect(scalar(x, "stemOptionCosineSpread")).toBeCloseTo(0.5);
    expect(scalar(x, "stemOptionCosineTop")).toBeCloseTo(0.5);
  });
});
