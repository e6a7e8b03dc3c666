import { createFeatureBuffer, type FeatureOptions } from "./feature-buffer.js";
import { extractPromptFeatures } from "./extract-prompt-features.js";
import type { LabelledRow, TrainRouterOptions } from "./train-router.js";
import { DEFAULT_STACK_SETTINGS } from "./fit-stacked-router.js";
import { linearPlusNeighbours, linearPlusSubjectClassifierNested, linearPlusSubjectLabel, linearPlusTopSubject } from "./stacked-candidates.js";
import type { TrainSubjectClassifierOptions } from "./train-subject-classifier.js";
import { outcomeStack, strongMinusWeak } from "./outcome-stack.js";
import { linearPlusWordVectors, outcomeStackWithSubjectLabel, wordVectorInputs, type WordVectorSelection } from "./word-vector-candidates.js";

/** A router design compared by cross-validation (scripts/router-compare.ts). */
export interface Candidate {
  name: string;
  /** A linear router trained by trainRouter with these options… */
  options?: TrainRouterOptions;
  /** …or any other fit: train rows → a scoring function (baselines). */
  fit?: (train: LabelledRow[]) => (row: LabelledRow) => number;
}

const words: FeatureOptions = { hashBits: 18, wordBigrams: false, charNgram: 0 };
const base: TrainRouterOptions = {
  features: { hashBits: 18, wordBigrams: true, charNgram: 0 },
  label: "gain",
  epochs: 8,
  l2: 1e-4,
  learningRate: 0.1,
  seed: 1,
  subjectWeight: 0,
  subjectSmoothing: 20,
};

/** The shipped router's options with another subject-model weight. */
function shipped(subjectWeight: number): TrainRouterOptions {
  return { ...base, features: { ...base.features, separateKinds: true }, l2: 3e-3, subjectWeight };
}

/** The subject classifier's settings, chosen by held-out subject accuracy (never by APGR). */
const classifier: TrainSubjectClassifierOptions = { bits: 15, maxFeatures: 512, epochs: 2, l2: 1e-5, learningRate: 0.5, seed: 1 };

/** The linear router with an explicit subject classifier, its expected difficulty × `weight` (subject-classifier.ts). */
function withClassifier(name: string, subjectWeight: number, weight: number, settings = classifier): Candidate {
  return { name, options: { ...shipped(subjectWeight), subjectClassifier: { ...settings, weight } } };
}

/** Version 3's stage 1 options (DEFAULT_TRAIN_OPTIONS without hashedRange and averageFrom, which candidates add): the classifier reads 128 features; 8 is design 0's weight. */
const version3: TrainRouterOptions = { ...shipped(0), subjectClassifier: { ...classifier, maxFeatures: 128, weight: 8 } };

export const ROUTER_CANDIDATES: Candidate[] = [
  { name: "random (hash of the prompt)", fit: () => (row) => hashScore(row.prompt) },
  { name: "longer prompt → strong", fit: () => (row) => row.prompt.length },
  { name: "subject label (reads domain)", fit: subjectPrior },
  { name: "naive Bayes, words, strongOnly", fit: naiveBayes },
  { name: "LR words, gain", options: { ...base, features: words } },
  { name: "LR words+pairs, gain", options: base },
  { name: "LR words+pairs, strongOnly", options: { ...base, label: "strongOnly" } },
  { name: "LR words+pairs, weakWrong", options: { ...base, label: "weakWrong" } },
  { name: "LR words+pairs+char4, gain", options: { ...base, features: { ...base.features, charNgram: 4 } } },
  { name: "LR + subject ×3, l2 1e-4", options: { ...base, subjectWeight: 3 } },
  { name: "LR + subject ×10, l2 3e-3", options: { ...base, l2: 3e-3, subjectWeight: 10 } },
  { name: "LR + subject ×10, l2 3e-3, kinds apart", options: { ...base, features: { ...base.features, separateKinds: true }, l2: 3e-3, subjectWeight: 10 } },
  { name: "same, subject l2 1e-4", options: { ...base, features: { ...base.features, separateKinds: true }, l2: 3e-3, subjectWeight: 10, subjectL2: 1e-4 } },
  { name: "same, subject l2 1e-3, ×5", options: { ...base, features: { ...base.features, separateKinds: true }, l2: 3e-3, subjectWeight: 5, subjectL2: 1e-3 } },
  { name: "same, subject l2 1e-2", options: { ...base, features: { ...base.features, separateKinds: true }, l2: 3e-3, subjectWeight: 10, subjectL2: 1e-2 } },
  { name: "same, subject l2 3e-2, ×20", options: { ...base, features: { ...base.features, separateKinds: true }, l2: 3e-3, subjectWeight: 20, subjectL2: 3e-2 } },
  { name: "same, 2^16 buckets", options: { ...base, features: { ...base.features, hashBits: 16, separateKinds: true }, l2: 3e-3, subjectWeight: 10 } },
  { name: "same, l2 1e-2", options: { ...base, features: { ...base.features, separateKinds: true }, l2: 1e-2, subjectWeight: 10 } },
  { name: "kinds apart, no subject model + subject label ×2 (ceiling)", fit: linearPlusSubjectLabel(shipped(0), 2) },
  { name: "kinds apart, no subject model + subject label ×5 (ceiling)", fit: linearPlusSubjectLabel(shipped(0), 5) },
  { name: "shipped + subject label ×2 (ceiling)", fit: linearPlusSubjectLabel(shipped(10), 2) },
  { name: "shipped + 20 neighbours ×1", fit: linearPlusNeighbours(shipped(10), 20, 1) },
  { name: "shipped + 50 neighbours ×2", fit: linearPlusNeighbours(shipped(10), 50, 2) },
  withClassifier("classifier: no subject model + classifier ×5", 0, 5),
  withClassifier("classifier: no subject model + classifier ×3", 0, 3),
  withClassifier("classifier: no subject model + classifier ×8", 0, 8),
  { name: "classifier: no subject model + top subject ×5", fit: linearPlusTopSubject("classifier: no subject model + top subject ×5", shipped(0), classifier, 5) },
  withClassifier("classifier: no subject model + classifier ×12", 0, 12),
  withClassifier("classifier: no subject model + classifier ×20", 0, 20),
  withClassifier("classifier: 5 epochs, no subject model + classifier ×8", 0, 8, { ...classifier, epochs: 5 }),
  {
    name: "classifier: no subject model + classifier, weight by nested CV",
    fit: linearPlusSubjectClassifierNested("classifier: no subject model + classifier, weight by nested CV", shipped(0), classifier, [2, 3, 5, 8, 12, 20]),
  },
  withClassifier("classifier: reads 256 features, ×8", 0, 8, { ...classifier, maxFeatures: 256 }),
  withClassifier("classifier: reads 128 features, ×8", 0, 8, { ...classifier, maxFeatures: 128 }),
  withClassifier("classifier: shipped + classifier ×2", 10, 2),
  withClassifier("classifier: shipped + classifier ×5", 10, 5),
  { name: "strong − weak: two outcome models, subject accuracies, stage 2 nested", fit: strongMinusWeak(version3) },
  {
    name: "outcome stack (version 3, int16 tables): stage 2 chosen by inner CV",
    fit: outcomeStack("outcome stack (version 3, int16 tables): stage 2 chosen by inner CV", version3, DEFAULT_STACK_SETTINGS),
  },
  {
    name: "outcome stack, int8 hashed tables",
    fit: outcomeStack("outcome stack, int8 hashed tables", { ...version3, hashedRange: 127 }, DEFAULT_STACK_SETTINGS),
  },
  {
    name: "outcome stack, int8, stage 1 weights averaged over epochs 5–8",
    fit: outcomeStack("outcome stack, int8, stage 1 weights averaged over epochs 5–8", { ...version3, hashedRange: 127, averageFrom: 5 }, DEFAULT_STACK_SETTINGS),
  },
  {
    name: "outcome stack, int8, stage 1 weights averaged over epochs 2–8",
    fit: outcomeStack("outcome stack, int8, stage 1 weights averaged over epochs 2–8", { ...version3, hashedRange: 127, averageFrom: 2 }, DEFAULT_STACK_SETTINGS),
  },
  {
    name: "outcome stack, stage 2 chosen over 5 inner splits",
    fit: outcomeStack("outcome stack, stage 2 chosen over 5 inner splits", version3, { ...DEFAULT_STACK_SETTINGS, choiceRepeats: 5 }),
  },
  wordVectors("word vectors: version 2 + stem and option mean vectors (50k words)", "vectors", "logit"),
  wordVectors("word vectors: version 2 + rarity and cosines (50k words)", "scalars", "logit"),
  wordVectors("word vectors: version 2 + both (50k words)", "both", "logit"),
  wordVectors("word vectors: subject classifier + stem and option mean vectors (50k words)", "vectors", "subjects"),
  wordVectors("word vectors: subject classifier + mean vectors, dense rate 0.03 (50k words)", "vectors", "subjects", 0.03),
  { name: "word vectors: version 2 + mean vectors, their rate 0.01 (50k words)", fit: linearPlusWordVectors("", version3, "vectors", 50_000, "logit", 0.01) },
  { name: "word vectors: version 2 + mean vectors, their rate 0.001 (50k words)", fit: linearPlusWordVectors("", version3, "vectors", 50_000, "logit", 0.001) },
  {
    name: "outcome stack + word-vector subject classifier",
    fit: outcomeStack("outcome stack + word-vector subject classifier", { ...version3, subjectClassifier: { ...version3.subjectClassifier!, denseLearningRate: 0.03 }, extraDense: wordVectorInputs("vectors", 50_000, "subjects") }, DEFAULT_STACK_SETTINGS),
  },
  {
    name: "outcome stack + mean vectors in the outcome models, their rate 0.01",
    fit: outcomeStack("outcome stack + mean vectors in the outcome models, their rate 0.01", { ...version3, outcomeExtraDense: wordVectorInputs("vectors", 50_000, "logit", 0.01) }, DEFAULT_STACK_SETTINGS),
  },
  {
    name: "outcome stack + rarity and cosines in the outcome models",
    fit: outcomeStack("outcome stack + rarity and cosines in the outcome models", { ...version3, outcomeExtraDense: wordVectorInputs("scalars", 50_000, "logit") }, DEFAULT_STACK_SETTINGS),
  },
  { name: "outcome stack + subject label (ceiling)", fit: outcomeStackWithSubjectLabel("outcome stack + subject label (ceiling)", version3) },
  { name: "same, average of 3 seeds", options: { ...base, features: { ...base.features, separateKinds: true }, l2: 3e-3, subjectWeight: 10, averageOf: 3 } },
];

/** Version 2 with pretrained word vectors (word-vector-candidates.ts), the 50,000 most frequent words. */
function wordVectors(name: string, selection: WordVectorSelection, into: "logit" | "subjects", denseLearningRate?: number): Candidate {
  const options = denseLearningRate === undefined ? version3 : { ...version3, subjectClassifier: { ...version3.subjectClassifier!, denseLearningRate } };
  return { name, fit: linearPlusWordVectors(name, options, selection, 50_000, into) };
}

function hashScore(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 4294967296;
}

/** The mean gain of the prompt's subject in training: a reference that reads the label, not the prompt. */
function subjectPrior(train: LabelledRow[]): (row: LabelledRow) => number {
  const sums = new Map<string, [number, number]>();
  for (const row of train) {
    const key = `${row.dataset}/${row.domain ?? ""}`;
    const s = sums.get(key) ?? [0, 0];
    s[0] += (row.strongCorrect ? 1 : 0) - (row.weakCorrect ? 1 : 0);
    s[1]++;
    sums.set(key, s);
  }
  return (row) => {
    const s = sums.get(`${row.dataset}/${row.domain ?? ""}`);
    return s ? s[0] / (s[1] + 1) : 0;
  };
}

/** Multinomial naive Bayes over hashed words (Laplace smoothing), label: only the strong model is right. */
function naiveBayes(train: LabelledRow[]): (row: LabelledRow) => number {
  const size = 1 << words.hashBits;
  const counts: [Float64Array, Float64Array] = [new Float64Array(size), new Float64Array(size)];
  const totals: [number, number] = [0, 0];
  const docs: [number, number] = [0, 0];
  const buffer = createFeatureBuffer();
  for (const row of train) {
    const y = row.strongCorrect && !row.weakCorrect ? 1 : 0;
    extractPromptFeatures(row.prompt, words, buffer);
    docs[y]++;
    for (let k = 0; k < buffer.length; k++) counts[y][buffer.indices[k]!] = counts[y][buffer.indices[k]!]! + 1;
    totals[y] += buffer.length;
  }
  return (row) => {
    extractPromptFeatures(row.prompt, words, buffer);
    let z = Math.log((docs[1] + 1) / (docs[0] + 1));
    for (let k = 0; k < buffer.length; k++) {
      const at = buffer.indices[k]!;
      z += Math.log((counts[1][at]! + 1) / (totals[1] + size)) - Math.log((counts[0][at]! + 1) / (totals[0] + size));
    }
    return z;
  };
}
