import type { FeatureBuffer } from "../feature-buffer.js";
import { softmaxInPlace } from "../softmax-in-place.js";
import { MAX_SUBJECT_FEATURES, type SubjectClassifier } from "../subject-classifier.js";

/**
 * The subject classifier's posterior computed the plain way, one int8 addition per subject per
 * feature: the oracle the packed scorer (createSubjectScorer) is compared to.
 */
export function referenceSubjectPosterior(classifier: SubjectClassifier, buffer: FeatureBuffer): Float64Array {
  const subjects = classifier.bias.length;
  const mask = (1 << classifier.bits) - 1;
  const m = Math.min(buffer.length, classifier.maxFeatures, MAX_SUBJECT_FEATURES);
  const sums = new Int32Array(subjects);
  for (let k = 0; k < m; k++) {
    const row = (buffer.indices[k]! & mask) * subjects;
    for (let s = 0; s < subjects; s++) sums[s] = sums[s]! + classifier.weights[row + s]!;
  }
  const out = new Float64Array(subjects);
  const factor = m > 0 ? classifier.scale / Math.sqrt(m) : 0;
  for (let s = 0; s < subjects; s++) out[s] = classifier.bias[s]! + sums[s]! * factor;
  softmaxInPlace(out);
  return out;
}
