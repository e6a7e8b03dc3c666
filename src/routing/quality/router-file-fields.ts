import type { BoostedTrees } from "./boosted-trees.js";
import { DENSE_COUNT } from "./feature-buffer.js";
import type { SmallLogistic } from "./small-logistic.js";
import { SECOND_STAGE_DESIGNS, STAGE1_COUNT, type HashedLinear, type SecondStage } from "./stacked-router-model.js";
import { MAX_SUBJECT_FEATURES, type SubjectClassifier } from "./subject-classifier.js";

/**
 * The router file's parts, encoded and decoded: every decoder checks its field's shape and calls
 * `fail` with the field's path and what is wrong (parseRouterFile turns that into a RouterFileError).
 */
export type Fail = (reason: string) => never;

export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function record(value: unknown, name: string, fail: Fail): Record<string, unknown> {
  return isRecord(value) ? value : fail(`${name} must be an object`);
}

export function finite(value: unknown, name: string, fail: Fail): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fail(`${name} must be a finite number`);
}

function integer(value: unknown, min: number, max: number, name: string, fail: Fail): number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? value : fail(`${name} must be an integer in ${min}..${max}`);
}

export function numbers(value: unknown, length: number, name: string, fail: Fail): Float64Array {
  if (!Array.isArray(value) || value.length !== length) return fail(`${name} must be an array of ${length} numbers`);
  return Float64Array.from(value, (v: unknown, i) => finite(v, `${name}[${i}]`, fail));
}

/** A weight table in base64, little-endian (portable whatever the machine's byte order). */
function tableBase64(length: number, width: number, write: (bytes: Buffer, at: number, i: number) => void): string {
  const bytes = Buffer.alloc(length * width);
  for (let i = 0; i < length; i++) write(bytes, i * width, i);
  return bytes.toString("base64");
}

/** The bytes of a base64 weight table of `length` entries of `width` bytes, or `fail` naming what is wrong. */
function tableBytes(value: unknown, length: number, width: number, kind: string, name: string, fail: Fail): Buffer {
  if (typeof value !== "string") return fail(`${name} must be base64 text`);
  const bytes = Buffer.from(value, "base64");
  if (bytes.length !== length * width) return fail(`${name} holds ${bytes.length} bytes, expected ${length * width} (2^hashBits ${kind} weights)`);
  return bytes;
}

export const int16Base64 = (values: Int16Array): string => tableBase64(values.length, 2, (bytes, at, i) => bytes.writeInt16LE(values[i]!, at));

export const float32Base64 = (values: Float32Array): string => tableBase64(values.length, 4, (bytes, at, i) => bytes.writeFloatLE(values[i]!, at));

function int16s(value: unknown, length: number, name: string, fail: Fail): Int16Array {
  const bytes = tableBytes(value, length, 2, "int16", name, fail);
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

export function float32s(value: unknown, length: number, name: string, fail: Fail): Float32Array {
  const bytes = tableBytes(value, length, 4, "float32", name, fail);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const v = bytes.readFloatLE(i * 4);
    if (!Number.isFinite(v)) return fail(`${name}[${i}] is not a finite number`);
    out[i] = v;
  }
  return out;
}

export const encodeHashedLinear = (m: HashedLinear) => ({ bias: m.bias, dense: [...m.dense], scale: m.scale, hashed: int16Base64(m.hashed) });

export function parseHashedLinear(value: unknown, size: number, name: string, fail: Fail): HashedLinear {
  const m = record(value, name, fail);
  const scale = finite(m.scale, `${name}.scale`, fail);
  if (!(scale > 0)) fail(`${name}.scale must be positive`);
  return { bias: finite(m.bias, `${name}.bias`, fail), dense: numbers(m.dense, 2 * DENSE_COUNT, `${name}.dense`, fail), scale, hashed: int16s(m.hashed, size, `${name}.hashed`, fail) };
}

export const encodeSubjectClassifier = (c: SubjectClassifier) => ({
  subjects: c.subjects,
  bits: c.bits,
  maxFeatures: c.maxFeatures,
  weight: c.weight,
  bias: [...c.bias],
  difficulty: [...c.difficulty],
  scale: c.scale,
  weights: b64(new Uint8Array(c.weights.buffer, c.weights.byteOffset, c.weights.byteLength)),
});

/** The subject classifier's fields: the subjects, the buckets (≤ the router's), and int8 weights of the right size. */
export function parseSubjectClassifier(c: Record<string, unknown>, hashBits: number, fail: Fail): SubjectClassifier {
  const name = "model.subjectClassifier";
  const subjects = c.subjects;
  if (!Array.isArray(subjects) || subjects.length < 2 || !subjects.every((s) => typeof s === "string" && s !== "") || new Set(subjects).size !== subjects.length) {
    fail(`${name}.subjects must be an array of at least 2 distinct names`);
  }
  const count = (subjects as string[]).length;
  const bits = integer(c.bits, 4, hashBits, `${name}.bits`, fail);
  const maxFeatures = integer(c.maxFeatures, 1, MAX_SUBJECT_FEATURES, `${name}.maxFeatures`, fail);
  const scale = finite(c.scale, `${name}.scale`, fail);
  if (!(scale > 0)) fail(`${name}.scale must be positive`);
  if (typeof c.weights !== "string") fail(`${name}.weights must be base64 text`);
  const bytes = Buffer.from(c.weights as string, "base64");
  const expected = 2 ** bits * count;
  if (bytes.length !== expected) fail(`${name}.weights holds ${bytes.length} bytes, expected ${expected} (2^bits × subjects int8 weights)`);
  return {
    subjects: subjects as string[],
    bits,
    maxFeatures,
    weight: finite(c.weight, `${name}.weight`, fail),
    bias: numbers(c.bias, count, `${name}.bias`, fail),
    difficulty: numbers(c.difficulty, count, `${name}.difficulty`, fail),
    scale,
    weights: new Int8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)),
  };
}

const encodeLogistic = (m: SmallLogistic | null) => (m === null ? null : { inputs: m.inputs, mean: [...m.mean], scale: [...m.scale], weights: [...m.weights] });
const encodeTrees = (t: BoostedTrees | null) =>
  t === null ? null : { inputs: t.inputs, depth: t.depth, base: t.base, feature: [...t.feature], threshold: [...t.threshold], leaf: [...t.leaf] };

export const encodeSecondStage = (s: SecondStage) => ({ design: s.design, weight: s.weight, strong: encodeLogistic(s.strong), weak: encodeLogistic(s.weak), trees: encodeTrees(s.trees) });

/** The second stage: its design, and exactly the parts that design reads (the others null). */
export function parseSecondStage(value: unknown, fail: Fail): SecondStage {
  const name = "model.secondStage";
  const s = record(value, name, fail);
  const design = integer(s.design, 0, SECOND_STAGE_DESIGNS.length - 1, `${name}.design`, fail);
  const outcomes = design === 1 || design === 3;
  const withTrees = design === 2 || design === 3;
  const part = <T>(field: string, wanted: boolean, parse: (v: unknown, n: string) => T): T | null => {
    const v = s[field];
    if (!wanted) return v === null ? null : fail(`${name}.${field} must be null for design ${design}`);
    return parse(v, `${name}.${field}`);
  };
  return {
    design,
    weight: finite(s.weight, `${name}.weight`, fail),
    strong: part("strong", outcomes, (v, n) => parseLogistic(v, n, fail)),
    weak: part("weak", outcomes, (v, n) => parseLogistic(v, n, fail)),
    trees: part("trees", withTrees, (v, n) => parseTrees(v, n, fail)),
  };
}

function parseLogistic(value: unknown, name: string, fail: Fail): SmallLogistic {
  const m = record(value, name, fail);
  if (!Array.isArray(m.inputs) || m.inputs.length < 1 || m.inputs.length > STAGE1_COUNT) fail(`${name}.inputs must be an array of 1..${STAGE1_COUNT} input numbers`);
  const inputs = (m.inputs as unknown[]).map((v, i) => integer(v, 0, STAGE1_COUNT - 1, `${name}.inputs[${i}]`, fail));
  return {
    inputs,
    mean: numbers(m.mean, inputs.length, `${name}.mean`, fail),
    scale: numbers(m.scale, inputs.length, `${name}.scale`, fail),
    weights: numbers(m.weights, inputs.length + 1, `${name}.weights`, fail),
  };
}

function parseTrees(value: unknown, name: string, fail: Fail): BoostedTrees {
  const t = record(value, name, fail);
  if (t.inputs !== STAGE1_COUNT) fail(`${name}.inputs must be ${STAGE1_COUNT}`);
  const depth = integer(t.depth, 1, 8, `${name}.depth`, fail);
  const leafCount = Array.isArray(t.leaf) ? t.leaf.length : 0;
  const trees = leafCount >> depth;
  if (trees < 1 || trees << depth !== leafCount || trees > 10_000) fail(`${name}.leaf must hold 2^depth leaves per tree, for 1..10000 trees`);
  const inner = trees * ((1 << depth) - 1);
  const feature = numbers(t.feature, inner, `${name}.feature`, fail);
  feature.forEach((f, i) => {
    if (!Number.isInteger(f) || f < -1 || f >= STAGE1_COUNT) fail(`${name}.feature[${i}] must be an integer in -1..${STAGE1_COUNT - 1}`);
  });
  return {
    inputs: STAGE1_COUNT,
    depth,
    base: finite(t.base, `${name}.base`, fail),
    feature: Int32Array.from(feature),
    threshold: numbers(t.threshold, inner, `${name}.threshold`, fail),
    leaf: numbers(t.leaf, leafCount, `${name}.leaf`, fail),
  };
}
