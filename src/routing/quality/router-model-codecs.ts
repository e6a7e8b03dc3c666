import type { FeatureOptions } from "./feature-buffer.js";
import { DENSE_COUNT } from "./feature-buffer.js";
import type { LinearRouterModel } from "./linear-router-model.js";
import {
  encodeHashedLinear,
  encodeSecondStage,
  encodeSubjectClassifier,
  finite,
  float32Base64,
  float32s,
  numbers,
  parseHashedLinear,
  parseSecondStage,
  parseSubjectClassifier,
  record,
  type Fail,
} from "./router-file-fields.js";
import type { StackedRouterModel } from "./stacked-router-model.js";

/**
 * The `model` object of a router file, per format version: version 2 (LinearRouterModel: one
 * float32 table, the subject classifier) and version 3 (StackedRouterModel: three int16 tables,
 * the classifier, the second stage). Decoders check every field (`fail` names it).
 */
const platt = (m: Record<string, unknown>, field: string, fail: Fail, positive: boolean) => {
  const o = record(m[field], `model.${field}`, fail);
  const scale = finite(o.scale, `model.${field}.scale`, fail);
  if (positive && !(scale > 0)) fail(`model.${field}.scale must be positive (the scaling must not flip the ranking)`);
  return { scale, shift: finite(o.shift, `model.${field}.shift`, fail) };
};

export function encodeLinearModel(model: LinearRouterModel) {
  return {
    bias: model.bias,
    denseMean: [...model.denseMean],
    denseScale: [...model.denseScale],
    dense: [...model.dense],
    hashed: float32Base64(model.hashed),
    output: { scale: model.output.scale, shift: model.output.shift },
    subject: model.subject ? { weight: model.subject.weight, bias: model.subject.bias, dense: [...model.subject.dense], hashed: float32Base64(model.subject.hashed) } : null,
    subjectClassifier: model.subjectClassifier ? encodeSubjectClassifier(model.subjectClassifier) : null,
  };
}

export function parseLinearModel(m: Record<string, unknown>, features: FeatureOptions, fail: Fail): LinearRouterModel {
  const size = 2 ** features.hashBits;
  const model: LinearRouterModel = {
    features,
    bias: finite(m.bias, "model.bias", fail),
    hashed: float32s(m.hashed, size, "model.hashed", fail),
    denseMean: numbers(m.denseMean, DENSE_COUNT, "model.denseMean", fail),
    denseScale: numbers(m.denseScale, DENSE_COUNT, "model.denseScale", fail),
    dense: numbers(m.dense, 2 * DENSE_COUNT, "model.dense", fail),
    output: platt(m, "output", fail, false),
  };
  if (m.subject !== null && m.subject !== undefined) {
    const s = record(m.subject, "model.subject", fail);
    model.subject = {
      weight: finite(s.weight, "model.subject.weight", fail),
      bias: finite(s.bias, "model.subject.bias", fail),
      hashed: float32s(s.hashed, size, "model.subject.hashed", fail),
      dense: numbers(s.dense, 2 * DENSE_COUNT, "model.subject.dense", fail),
    };
  }
  if (m.subjectClassifier !== null && m.subjectClassifier !== undefined) {
    model.subjectClassifier = parseSubjectClassifier(record(m.subjectClassifier, "model.subjectClassifier", fail), features.hashBits, fail);
  }
  return model;
}

export function encodeStackedModel(model: StackedRouterModel) {
  return {
    denseMean: [...model.denseMean],
    denseScale: [...model.denseScale],
    gain: encodeHashedLinear(model.gain),
    strong: encodeHashedLinear(model.strong),
    weak: encodeHashedLinear(model.weak),
    subjectClassifier: model.subjectClassifier ? encodeSubjectClassifier(model.subjectClassifier) : null,
    strongAccuracy: [...model.strongAccuracy],
    weakAccuracy: [...model.weakAccuracy],
    secondStage: encodeSecondStage(model.secondStage),
    output: { scale: model.output.scale, shift: model.output.shift },
    quizOutput: { scale: model.quizOutput.scale, shift: model.quizOutput.shift },
  };
}

/** Version 3's model: every table, the classifier (or null), per-subject accuracies in [0, 1], the second stage and both scalings. */
export function parseStackedModel(m: Record<string, unknown>, features: FeatureOptions, fail: Fail): StackedRouterModel {
  const size = 2 ** features.hashBits;
  const subjectClassifier = m.subjectClassifier === null ? undefined : parseSubjectClassifier(record(m.subjectClassifier, "model.subjectClassifier", fail), features.hashBits, fail);
  const subjects = subjectClassifier?.subjects.length ?? 0;
  const accuracy = (field: string): Float64Array => {
    const values = numbers(m[field], subjects, `model.${field}`, fail);
    values.forEach((v, i) => (v < 0 || v > 1 ? fail(`model.${field}[${i}] must be in [0, 1]`) : undefined));
    return values;
  };
  return {
    features,
    denseMean: numbers(m.denseMean, DENSE_COUNT, "model.denseMean", fail),
    denseScale: numbers(m.denseScale, DENSE_COUNT, "model.denseScale", fail),
    gain: parseHashedLinear(m.gain, size, "model.gain", fail),
    strong: parseHashedLinear(m.strong, size, "model.strong", fail),
    weak: parseHashedLinear(m.weak, size, "model.weak", fail),
    ...(subjectClassifier ? { subjectClassifier } : {}),
    strongAccuracy: accuracy("strongAccuracy"),
    weakAccuracy: accuracy("weakAccuracy"),
    secondStage: parseSecondStage(m.secondStage, fail),
    output: platt(m, "output", fail, true),
    quizOutput: platt(m, "quizOutput", fail, true),
  };
}
