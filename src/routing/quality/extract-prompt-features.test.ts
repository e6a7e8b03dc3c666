import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createFeatureBuffer, DENSE_FEATURES, type FeatureOptions } from "./feature-buffer.js";
import { extractPromptFeatures } from "./extract-prompt-features.js";
import { extractPromptFeaturesStacked } from "./extract-prompt-features-stacked.js";
import { HEAD_CHARS, MAX_SCORED_CHARS, TAIL_CHARS } from "./scored-text.js";
import { referencePromptFeatures } from "./testing/reference-prompt-features.js";

const options: FeatureOptions = { hashBits: 12, wordBigrams: true, charNgram: 0 };

function features(text: string, o: FeatureOptions = options) {
  const buffer = createFeatureBuffer(4);
  extractPromptFeatures(text, o, buffer);
  const dense = Object.fromEntries(DENSE_FEATURES.map((name, i) => [name, buffer.dense[i]!]));
  return { indices: [...buffer.indices.subarray(0, buffer.length)], value: buffer.value, dense };
}

describe("extractPromptFeatures", () => {
  it("is deterministic and stays inside the hash space, for any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), fc.constantFrom(0, 3), (text, charNgram) => {
        const o = { ...options, charNgram };
        const a = features(text, o);
        expect(features(text, o)).toEqual(a);
        for (const i of a.indices) expect(i >= 0 && i < 1 << o.hashBits).toBe(true);
        for (const v of a.dense ? Object.values(a.dense) : []) expect(Number.isFinite(v)).toBe(true);
      }),
    );
  });

  it("ignores case and the amount of white space between words", () => {
    expect(features("What IS  the\tcapital?").indices).toEqual(features("what is the capital ?").indices);
  });

  it("emits a word and a word pair per token, punctuation as tokens, numbers by digit count", () => {
    const a = features("cost $12");
    // cost, $, 12 (as a two-digit number) and the pairs (cost $), ($ 12)
    expect(a.indices).toHaveLength(5);
    expect(features("cost $47").indices).toEqual(a.indices);
    expect(features("cost $470").indices).not.toEqual(a.indices);
    expect(Math.abs(a.value - 1 / Math.sqrt(5))).toBeLessThan(1e-6);
  });

  it("adds character n-grams when asked", () => {
    expect(features("abcdef", { ...options, wordBigrams: false, charNgram: 4 }).indices).toHaveLength(1 + 3);
  });

  it("measures shape: length, numbers, lines, question marks and multiple-choice options", () => {
    const quiz = features("Which is prime?\nA. 4\nB. 9\nC. 7\nD. 10\nAnswer:").dense;
    expect(quiz.multipleChoice).toBe(1);
    expect(quiz.logLines).toBeCloseTo(Math.log1p(6));
    expect(quiz.logNumbers).toBeCloseTo(Math.log1p(4));
    expect(quiz.logQuestionMarks).toBeCloseTo(Math.log1p(1));
    expect(quiz.logLongestNumber).toBeCloseTo(Math.log1p(2));
    expect(features("Tom has 3 apples.\nA friend gives him 2.").dense.multipleChoice).toBe(0);
  });

  it("with separateKinds, hashes the words of quiz questions and of other prompts apart", () => {
    const separate = { ...options, separateKinds: true };
    const quiz = features("solve for x\nA. 1\nB. 2", separate).indices.slice(0, 3);
    const problem = features("solve for x", separate).indices;
    expect(problem).toHaveLength(5);
    expect(quiz).toHaveLength(3);
    expect(quiz.some((i) => problem.includes(i))).toBe(false);
    expect(features("solve for x\nA. 1\nB. 2").indices.slice(0, 3)).toEqual(features("solve for x").indices.slice(0, 3));
  });

  it("reads a huge prompt's first HEAD_CHARS and last TAIL_CHARS characters but counts its whole length", () => {
    const head = "which enzyme breaks down starch";
    const tail = "the final question about eigenvalues\nA. 1\nB. 2";
    const huge = `${head} ${"filler words ".repeat(Math.ceil(MAX_SCORED_CHARS / 13) + 50)}${tail}`;
    const cut = `${huge.slice(0, HEAD_CHARS)}\n${huge.slice(huge.length - TAIL_CHARS)}`;
    expect(features(huge).indices).toEqual(features(cut).indices);
    expect(features(huge).indices.slice(0, 9)).toEqual(features(head).indices.slice(0, 9));
    expect(features(huge).dense.multipleChoice).toBe(1);
    expect(features(huge).dense.logChars).toBeCloseTo(Math.log1p(huge.length));
    // A prompt of exactly MAX_SCORED_CHARS characters is read whole.
    const edge = "ab ".repeat(MAX_SCORED_CHARS).slice(0, MAX_SCORED_CHARS);
    expect(features(edge).dense.logLines).toBeCloseTo(Math.log1p(1));
    expect(features(`${edge}q`).dense.logLines).toBeCloseTo(Math.log1p(2));
  });

  it("gives exactly the reference loop's features for long texts, cut anywhere (surrogates, words and numbers across the cuts)", () => {
    const piece = fc.constantFrom("A.", "\n", " ", "\ud83d\ude00", "\ud800", "Word", "x", "1234567", "?", "é");
    const text = fc.array(piece, { minLength: 900, maxLength: 1600 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, fc.boolean(), (t, separateKinds) => {
        const opts = { hashBits: 18, wordBigrams: true, charNgram: 0, separateKinds };
        const fast = createFeatureBuffer(4);
        const reference = createFeatureBuffer(4);
        extractPromptFeatures(t, opts, fast);
        referencePromptFeatures(t, opts, reference);
        expect([...fast.indices.subarray(0, fast.length)]).toEqual([...reference.indices.subarray(0, reference.length)]);
        expect([...fast.dense]).toEqual([...reference.dense]);
      }),
      { numRuns: 60 },
    );
  });

  it("gives exactly the features of the reference loop, for any text (the shipped router's weights depend on it)", () => {
    // Text made of the pieces where token boundaries are decided: option lines, case, digits,
    // symbols, white space and control characters, non-ASCII letters and lone surrogates.
    const piece = fc.oneof(
      fc.constantFrom("A.", "B)", "H.", "I.", "\n", "\r\n", " ", "\t", "\f", "\u007f", "?", "$", "é", "\u2014", "\ud800", "Word", "x", "12", "1234567", "3.5"),
      fc.string({ unit: "binary", maxLength: 6 }),
    );
    const text = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(""));
    const o = fc.record({ hashBits: fc.constantFrom(8, 18), wordBigrams: fc.boolean(), charNgram: fc.constant(0), separateKinds: fc.boolean() });
    fc.assert(
      fc.property(text, o, (t, opts) => {
        const fast = createFeatureBuffer(4);
        const reference = createFeatureBuffer(4);
        extractPromptFeatures(t, opts, fast);
        referencePromptFeatures(t, opts, reference);
        expect([...fast.indices.subarray(0, fast.length)]).toEqual([...reference.indices.subarray(0, reference.length)]);
        expect(fast.value).toBe(reference.value);
        expect([...fast.dense]).toEqual([...reference.dense]);
      }),
      { numRuns: 2000 },
    );
  });

  it("returns the weights' sum over its indices, in their order, when given weights, for any text", () => {
    const weights = Float32Array.from({ length: 1 << 8 }, (_, i) => Math.fround(Math.sin(i) * 3));
    const piece = fc.oneof(fc.constantFrom("A.", "B)", "\n", " ", "?", "$", "é", "Word", "x", "12", "1234567"), fc.string({ unit: "binary", maxLength: 6 }));
    const text = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(""));
    const o = fc.record({ hashBits: fc.constant(8), wordBigrams: fc.boolean(), charNgram: fc.constantFrom(0, 3), separateKinds: fc.boolean() });
    fc.assert(
      fc.property(text, o, (t, opts) => {
        const buffer = createFeatureBuffer(4);
        const sum = extractPromptFeatures(t, opts, buffer, weights);
        let expected = 0;
        for (let k = 0; k < buffer.length; k++) expected += weights[buffer.indices[k]!]!;
        expect(sum).toBe(expected);
        const plain = createFeatureBuffer(4);
        expect(extractPromptFeatures(t, opts, plain)).toBe(0);
        expect([...plain.indices.subarray(0, plain.length)]).toEqual([...buffer.indices.subarray(0, buffer.length)]);
      }),
      { numRuns: 500 },
    );
  });

  it("sums three interleaved int16 or int8 tables, or the two outcome tables (the first alone on prompts without options), over the same features, for any text", () => {
    const first = Int16Array.from({ length: 1 << 8 }, (_, i) => Math.round(Math.sin(i) * 30000));
    const table = new Int16Array(4 << 8);
    first.forEach((v, i) => table.set([v, Math.round(Math.cos(i) * 30000), (i * 7919) % 32767, 0], 4 * i));
    // The two outcome tables alone, two per bucket (a scorer whose quiz score never reads the gain).
    const outcomes = new Int16Array(2 << 8);
    first.forEach((_, i) => outcomes.set([table[4 * i + 1]!, table[4 * i + 2]!], 2 * i));
    const piece = fc.oneof(fc.constantFrom("A.", "B)", "\n", " ", "?", "$", "é", "Word", "x", "12", "1234567"), fc.string({ unit: "binary", maxLength: 6 }));
    const text = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(""));
    const o = fc.record({ hashBits: fc.constant(8), wordBigrams: fc.boolean(), charNgram: fc.constantFrom(0, 3), separateKinds: fc.boolean() });
    fc.assert(
      fc.property(text, o, (t, opts) => {
        const plain = createFeatureBuffer(4);
        extractPromptFeatures(t, opts, plain);
        const expected = [0, 0, 0];
        for (let k = 0; k < plain.length; k++) for (let m = 0; m < 3; m++) expected[m]! += table[4 * plain.indices[k]! + m]!;
        const buffer = createFeatureBuffer(4);
        const sums = new Float64Array(3);
        extractPromptFeaturesStacked(t, opts, buffer, table, sums);
        expect([...sums]).toEqual(expected);
        expect([...buffer.indices.subarray(0, buffer.length)]).toEqual([...plain.indices.subarray(0, plain.length)]);
        expect([buffer.value, ...buffer.dense]).toEqual([plain.value, ...plain.dense]);
        extractPromptFeaturesStacked(t, opts, buffer, table, sums, first);
        const quiz = plain.dense[DENSE_FEATURES.indexOf("multipleChoice")] === 1;
        expect([...sums]).toEqual(quiz ? expected : [expected[0], 0, 0]);
        extractPromptFeaturesStacked(t, opts, buffer, outcomes, sums, first);
        expect([...sums]).toEqual(quiz ? [0, expected[1], expected[2]] : [expected[0], 0, 0]);
        expect([...buffer.indices.subarray(0, buffer.length)]).toEqual([...plain.indices.subarray(0, plain.length)]);
        // The same tables as int8 (a model whose weights fit a byte): the same sums over their values.
        const [table8, outcomes8, first8] = [table, outcomes, first].map((a) => Int8Array.from(a, (v) => v >> 8));
        const expected8 = [0, 0, 0];
        for (let k = 0; k < plain.length; k++) for (let m = 0; m < 3; m++) expected8[m]! += table8![4 * plain.indices[k]! + m]!;
        extractPromptFeaturesStacked(t, opts, buffer, table8!, sums);
        expect([...sums]).toEqual(expected8);
        extractPromptFeaturesStacked(t, opts, buffer, outcomes8!, sums, first8);
        expect([...sums]).toEqual(quiz ? [0, expected8[1], expected8[2]] : [expected8[0], 0, 0]);
      }),
      { numRuns: 500 },
    );
  });

  it("gives the reference's features past the cap on scored characters too", () => {
    const text = `Which one?\nA. ${"Alpha beta 12 $ ".repeat(1200)}\nB. gamma\nC. delta`;
    const fast = createFeatureBuffer(4);
    const reference = createFeatureBuffer(4);
    extractPromptFeatures(text, options, fast);
    referencePromptFeatures(text, options, reference);
    expect([...fast.indices.subarray(0, fast.length)]).toEqual([...reference.indices.subarray(0, reference.length)]);
    expect([...fast.dense]).toEqual([...reference.dense]);
  });
});
