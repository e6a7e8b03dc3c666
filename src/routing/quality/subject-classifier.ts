/**
 * A many-way subject classifier (multinomial logistic regression) over the first hashed features
 * of a prompt, folded into 2^bits buckets (the low bits of the router's own bucket indices, so no
 * second pass over the text). Its posterior over the subjects turns into the prompt's expected
 * subject difficulty: Σ p(subject | prompt) · difficulty(subject).
 *
 * Weights are stored as int8 with one scale for the table (the file budget), bucket-major: the
 * subjects' weights of one bucket are neighbours (the scorer gives each bucket one cache line).
 */
export interface SubjectClassifier {
  /** The subjects' names (the training data's `domain` values), sorted: provenance, not read by scoring. */
  subjects: string[];
  /** log2 of the buckets (at most the router's hashBits: the buckets are the low bits of its indices). */
  bits: number;
  /** Only this many hashed features are read, from the start of the prompt (scoring cost is bounded). */
  maxFeatures: number;
  /** One per subject. */
  bias: Float64Array;
  /** 2^bits × subjects, bucket-major, times `scale`. */
  weights: Int8Array;
  scale: number;
  /** Each subject's difficulty: what the posterior averages (its mean target, smoothed). */
  difficulty: Float64Array;
  /** How much the expected difficulty adds to the router's logit on multiple-choice prompts. */
  weight: number;
  /**
   * Weights of dense inputs (inputs × subjects, input-major), when trained with them: comparison
   * only (word vectors, word-vector-candidates.ts); router files and createSubjectScorer have none.
   */
  dense?: Float64Array;
}

/**
 * The most features a classifier may read (`maxFeatures`; files are refused above it). The limit of
 * an earlier packing, kept so every file stays valid; the scorer (create-subject-scorer.ts) sums any count exactly.
 */
export const MAX_SUBJECT_FEATURES = 514;
