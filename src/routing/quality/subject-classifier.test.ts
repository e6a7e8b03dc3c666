import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSeededRandom } from "../../core/create-seeded-random.js";
import { fitSubjectClassifier, topSubject, type SubjectClassifierOptions, type SubjectTrainingRow } from "./fit-subject-classifier.js";
import { createFeatureBuffer, type FeatureOptions } from "./feature-buffer.js";
import { extractPromptFeatures } from "./extract-prompt-features.js";
import { createSubjectScorer } from "./create-subject-scorer.js";
import { shiftPosterior } from "./shift-posterior.js";
import { MAX_SUBJECT_FEATURES } from "./subject-classifier.js";
import { quantiseSubjectWeights } from "./train-subject-classifier.js";
import { referenceSubjectPosterior } from "./testing/reference-subject-posterior.js";

const features: FeatureOptions = { hashBits: 16, wordBigrams: true, charNgram: 0, separateKinds: true };
const settings: SubjectClassifierOptions = { bits: 12, maxFeatures: 64, epochs: 3, l2: 1e-5, learningRate: 0.5, seed: 1, weight: 4 };

const VOCABULARY: Record<string, string[]> = {
  chemistry: ["molecule", "reaction", "acid", "bond", "electron", "catalyst"],
  law: ["contract", "plaintiff", "statute", "court", "liability", "tort"],
  music: ["chord", "tempo", "melody", "sonata", "rhythm", "harmony"],
};
const FILLER = ["which", "of", "the", "following", "is", "true", "about", "a"];

/** Multiple-choice prompts whose words tell the subject; chemistry is hard for the weak model, music easy. */
function rows(count: number, seed: number): (SubjectTrainingRow & { prompt: string })[] {
  const random = createSeededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const buffer = createFeatureBuffer();
  const subjects = Object.keys(VOCABULARY);
  return Array.from({ length: count }, (_, i) => {
    const domain = subjects[i % subjects.length]!;
    const words = Array.from({ length: 8 }, () => (random() < 0.4 ? pick(VOCABULARY[domain]!) : pick(FILLER)));
    const prompt = `${words.join(" ")}?\nA. one\nB. two\nC. three\nD. four\nAnswer:`;
    extractPromptFeatures(prompt, features, buffer);
    const hard = domain === "chemistry" ? 0.8 : domain === "law" ? 0.5 : 0.1;
    return { prompt, domain, weakCorrect: random() >= hard, strongCorrect: true, indices: buffer.indices.slice(0, buffer.length), multipleChoice: true };
  });
}

describe("subject classifier", () => {
  const train = rows(300, 1);
  const classifier = fitSubjectClassifier(train, settings)!;
  const buffer = createFeatureBuffer();
  const scorer = createSubjectScorer(classifier);

  it("learns the subjects from the words and their difficulty from the outcomes", () => {
    expect(classifier.subjects).toEqual(["chemistry", "law", "music"]);
    expect(classifier.weights).toHaveLength(2 ** settings.bits * 3);
    const test = rows(90, 2);
    const right = test.filter((row) => {
      extractPromptFeatures(row.prompt, features, buffer);
      return topSubject(classifier, scorer.posterior(buffer)) === row.domain;
    }).length;
    expect(right / test.length).toBeGreaterThan(0.9);
    const [chemistry, law, music] = classifier.difficulty;
    expect(chemistry!).toBeGreaterThan(law!);
    expect(law!).toBeGreaterThan(music!);
    extractPromptFeatures("which acid and which electron bond in the reaction?\nA. 1\nB. 2\nAnswer:", features, buffer);
    const hard = scorer.expectedDifficulty(buffer);
    extractPromptFeatures("which chord and which melody in the sonata?\nA. 1\nB. 2\nAnswer:", features, buffer);
    expect(hard).toBeGreaterThan(scorer.expectedDifficulty(buffer));
  });

  it("is deterministic for the same rows", () => {
    const again = fitSubjectClassifier(train, settings)!;
    expect(again.weights).toEqual(classifier.weights);
    expect(again.bias).toEqual(classifier.bias);
    expect(again.scale).toBe(classifier.scale);
  });

  it("needs two subjects", () => {
    expect(fitSubjectClassifier(train.filter((row) => row.domain === "law"), settings)).toBeUndefined();
  });

  it("reads only the first maxFeatures features, and gives a posterior that sums to 1 for any text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (head, tail) => {
        extractPromptFeatures(head, features, buffer);
        const capped = Math.min(buffer.length, settings.maxFeatures);
        const first = Array.from(scorer.posterior(buffer));
        expect(first.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        // The packed sums (three subjects per float64) are exact: the plain int8 loop agrees.
        expect(first).toEqual(Array.from(referenceSubjectPosterior(classifier, buffer)));
        // Whatever follows the first maxFeatures features does not change the posterior.
        buffer.indices.set(Int32Array.from(tail, (c) => c.charCodeAt(0) * 7919), capped);
        buffer.length = capped + tail.length;
        if (buffer.length > settings.maxFeatures) expect(Array.from(scorer.posterior(buffer))).toEqual(first);
      }),
    );
  });

  it("packs exactly at the largest feature count, with weights at both ends of int8", () => {
    const subjects = ["a", "b", "c", "d", "e"];
    const weights = Int8Array.from({ length: 16 * 5 }, (_, i) => [127, -127, 0, 1, -1][i % 5]!);
    const extreme = { subjects, bits: 4, maxFeatures: MAX_SUBJECT_FEATURES, bias: new Float64Array(5), weights, scale: 0.01, difficulty: new Float64Array(5), weight: 1 };
    buffer.length = MAX_SUBJECT_FEATURES + 10;
    for (let k = 0; k < buffer.length; k++) buffer.indices[k] = k;
    expect(Array.from(createSubjectScorer(extreme).posterior(buffer))).toEqual(Array.from(referenceSubjectPosterior(extreme, buffer)));
  });

  it("sums any number of subjects (odd and even words of a line, rows of two lines) exactly, at any feature count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 80 }), fc.integer({ min: 0, max: MAX_SUBJECT_FEATURES + 20 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (count, length, seed) => {
        const random = createSeededRandom(seed);
        const subjects = Array.from({ length: count }, (_, s) => `s${s}`);
        const bits = 6;
        const weights = Int8Array.from({ length: (1 << bits) * count }, () => (random() < 0.2 ? (random() < 0.5 ? 127 : -128) : Math.floor(random() * 256) - 128));
        const bias = Float64Array.from({ length: count }, () => random() - 0.5);
        const classifier = { subjects, bits, maxFeatures: MAX_SUBJECT_FEATURES, bias, weights, scale: 0.01, difficulty: new Float64Array(count), weight: 1 };
        const sparse = createFeatureBuffer(MAX_SUBJECT_FEATURES + 20);
        sparse.length = length;
        for (let k = 0; k < length; k++) sparse.indices[k] = Math.floor(random() * 2 ** 18);
        expect(Array.from(createSubjectScorer(classifier).posterior(sparse))).toEqual(Array.from(referenceSubjectPosterior(classifier, sparse)));
      }),
      { numRuns: 200 },
    );
  });

  it("quantises to int8 with one scale: the largest weight maps to ±127, each within half a step", () => {
    const weights = Float64Array.from([0.5, -2, 1.3, 0, 2e-3]);
    const q = quantiseSubjectWeights(weights);
    expect(Math.max(...Array.from(q.weights, Math.abs))).toBe(127);
    weights.forEach((w, i) => expect(Math.abs(q.weights[i]! * q.scale - w)).toBeLessThanOrEqual(q.scale / 2 + 1e-12));
  });

  it("learns from dense inputs when the words do not tell the subject (comparison-only word vectors)", () => {
    // The same filler words everywhere; one dense input per subject says which it is.
    const subjects = ["chemistry", "law", "music"];
    const random = createSeededRandom(3);
    const make = (count: number) =>
      Array.from({ length: count }, (_, i) => {
        extractPromptFeatures(`${FILLER.join(" ")}?\nA. one\nB. two\nAnswer:`, features, buffer);
        const dense = Float64Array.from(subjects, (_, s) => (s === i % 3 ? 1 : 0) + 0.3 * (random() - 0.5));
        return { domain: subjects[i % 3]!, weakCorrect: true, strongCorrect: true, indices: buffer.indices.slice(0, buffer.length), multipleChoice: true, dense };
      });
    const withDense = fitSubjectClassifier(make(300), { ...settings, denseLearningRate: 0.05 })!;
    expect(withDense.dense).toHaveLength(3 * 3);
    expect(fitSubjectClassifier(train, settings)!.dense).toBeUndefined();
    const plain = createSubjectScorer(withDense);
    const right = make(60).filter((row) => {
      buffer.indices.set(row.indices);
      buffer.length = row.indices.length;
      const p = Float64Array.from(plain.posterior(buffer));
      shiftPosterior(p, withDense.dense!, row.dense);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      return topSubject(withDense, p) === row.domain;
    }).length;
    expect(right / 60).toBeGreaterThan(0.9);
  });
});
