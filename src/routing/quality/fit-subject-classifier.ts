import type { SubjectClassifier } from "./subject-classifier.js";
import { quantiseSubjectWeights, trainSubjectClassifier, type SubjectExample, type TrainSubjectClassifierOptions } from "./train-subject-classifier.js";

/** The subject classifier's training settings and how much its expected difficulty adds to the logit. */
export interface SubjectClassifierOptions extends TrainSubjectClassifierOptions {
  weight: number;
}

/** What the fit needs of a training row: its subject (when it has one), outcomes, and extracted features. */
export interface SubjectTrainingRow {
  domain?: string;
  weakCorrect: boolean;
  strongCorrect: boolean;
  indices: Int32Array;
  multipleChoice: boolean;
  /** Standardised dense inputs (comparison only: word vectors; router files have none). */
  dense?: Float64Array;
}

/**
 * Fits the subject classifier on the multiple-choice rows that name a subject (the `domain`
 * column) and each subject's difficulty: its mean strong − weak over the rows naming it, shrunk
 * towards 0 by one pseudo-row (a subject seen once says little). Undefined with fewer than two
 * subjects. Deterministic for the same rows in the same order.
 */
export function fitSubjectClassifier(rows: readonly SubjectTrainingRow[], options: SubjectClassifierOptions): SubjectClassifier | undefined {
  const subjects = [...new Set(rows.flatMap((row) => (row.domain ? [row.domain] : [])))].sort();
  if (subjects.length < 2) return undefined;
  const subjectIndex = new Map(subjects.map((s, i) => [s, i]));
  const sums = new Float64Array(subjects.length);
  const counts = new Float64Array(subjects.length);
  const examples: SubjectExample[] = [];
  for (const row of rows) {
    const s = row.domain ? subjectIndex.get(row.domain) : undefined;
    if (s === undefined) continue;
    sums[s] = sums[s]! + (row.strongCorrect ? 1 : 0) - (row.weakCorrect ? 1 : 0);
    counts[s] = counts[s]! + 1;
    if (row.multipleChoice) examples.push({ indices: row.indices, subject: s, ...(row.dense ? { dense: row.dense } : {}) });
  }
  const { bias, weights, dense } = trainSubjectClassifier(examples, subjects.length, options);
  return {
    subjects,
    bits: options.bits,
    maxFeatures: options.maxFeatures,
    bias,
    ...quantiseSubjectWeights(weights),
    difficulty: sums.map((sum, i) => sum / (counts[i]! + 1)),
    weight: options.weight,
    ...(dense ? { dense } : {}),
  };
}

/** The most probable subject of a posterior (createSubjectScorer): reports of the classifier's accuracy. */
export function topSubject(classifier: SubjectClassifier, posterior: Float64Array): string {
  let top = 0;
  for (let s = 1; s < posterior.length; s++) if (posterior[s]! > posterior[top]!) top = s;
  return classifier.subjects[top]!;
}
