import { DENSE_COUNT, DENSE_FEATURES } from "./prompt-features.js";
import type { LinearRouterModel } from "./linear-router-model.js";
import type { PromptBloomFilter } from "./prompt-bloom-filter.js";
import { RouterFileError } from "./router-file-error.js";
import { MAX_SUBJECT_FEATURES, type SubjectClassifier } from "./subject-classifier.js";

export const ROUTER_FILE_FORMAT = "switchyard-router";
/** Bumped whenever features or the model change meaning: an old file is refused, never misread. */
export const ROUTER_FILE_VERSION = 2;

/** Held-out figures of one training file, measured by k-fold cross-validation at training time. */
export interface HeldOutFigures {
  data: string;
  prompts: number;
  folds: number;
  apgr: number;
  cpt50: number;
  cpt80: number;
  share95: number;
}

/** Everything a router file holds, decoded. */
export interface RouterFile {
  model: LinearRouterModel;
  /** Quantiles 0, 1/(n−1), …, 1 of the training prompts' held-out scores (non-decreasing). */
  scoreQuantiles: number[];
  /** The training prompts, as a Bloom filter. */
  trainingPrompts: PromptBloomFilter;
  /** Free-form provenance: files, row counts, label, options (not read by the scorer). */
  training: Record<string, unknown>;
  heldOut: HeldOutFigures[];
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
const float32Base64 = (values: Float32Array): string => {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes.toString("base64");
};

/** The file's text: JSON with a fixed key order and weights as little-endian float32 in base64, so equal models give equal bytes. */
export function serializeRouterFile(file: RouterFile): string {
  const { model } = file;
  return `${JSON.stringify(
    {
      format: ROUTER_FILE_FORMAT,
      version: ROUTER_FILE_VERSION,
      features: {
        hashBits: model.features.hashBits,
        wordBigrams: model.features.wordBigrams,
        charNgram: model.features.charNgram,
        separateKinds: model.features.separateKinds === true,
        dense: DENSE_FEATURES,
      },
      model: {
        bias: model.bias,
        denseMean: [...model.denseMean],
        denseScale: [...model.denseScale],
        dense: [...model.dense],
        hashed: float32Base64(model.hashed),
        output: { scale: model.output.scale, shift: model.output.shift },
        subject: model.subject
          ? { weight: model.subject.weight, bias: model.subject.bias, dense: [...model.subject.dense], hashed: float32Base64(model.subject.hashed) }
          : null,
        subjectClassifier: model.subjectClassifier
          ? {
              subjects: model.subjectClassifier.subjects,
              bits: model.subjectClassifier.bits,
              maxFeatures: model.subjectClassifier.maxFeatures,
              weight: model.subjectClassifier.weight,
              bias: [...model.subjectClassifier.bias],
              difficulty: [...model.subjectClassifier.difficulty],
              scale: model.subjectClassifier.scale,
              weights: b64(new Uint8Array(model.subjectClassifier.weights.buffer, model.subjectClassifier.weights.byteOffset, model.subjectClassifier.weights.byteLength)),
            }
          : null,
      },
      scoreQuantiles: file.scoreQuantiles,
      trainingPrompts: { bits: file.trainingPrompts.bits, hashes: file.trainingPrompts.hashes, data: b64(file.trainingPrompts.data) },
      heldOut: file.heldOut,
      training: file.training,
    },
    null,
    1,
  )}\n`;
}

/** Decodes and checks a router file's text; every problem is a RouterFileError naming `path`. */
export function parseRouterFile(path: string, text: string): RouterFile {
  const fail = (reason: string): never => {
    throw new RouterFileError(path, reason);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RouterFileError(path, `not JSON (${(error as Error).message})`, { cause: error });
  }
  if (!isRecord(json) || json.format !== ROUTER_FILE_FORMAT) fail(`not a router file (expected "format": "${ROUTER_FILE_FORMAT}")`);
  const root = json as Record<string, unknown>;
  if (root.version !== ROUTER_FILE_VERSION) {
    fail(`format version ${JSON.stringify(root.version)}, this Switchyard reads version ${ROUTER_FILE_VERSION}: retrain it with \`npm run -s router:train\``);
  }
  const features = record(root.features, "features", fail);
  const hashBits = features.hashBits;
  if (typeof hashBits !== "number" || !Number.isInteger(hashBits) || hashBits < 4 || hashBits > 24) fail("features.hashBits must be an integer in 4..24");
  const charNgram = features.charNgram;
  if (typeof charNgram !== "number" || !Number.isInteger(charNgram) || charNgram < 0 || charNgram > 8) fail("features.charNgram must be an integer in 0..8");
  if (typeof features.wordBigrams !== "boolean") fail("features.wordBigrams must be true or false");
  if (typeof features.separateKinds !== "boolean") fail("features.separateKinds must be true or false");
  if (JSON.stringify(features.dense) !== JSON.stringify(DENSE_FEATURES)) fail(`features.dense must list ${DENSE_FEATURES.join(", ")}`);
  const size = 2 ** (hashBits as number);
  const m = record(root.model, "model", fail);
  const model: LinearRouterModel = {
    features: { hashBits: hashBits as number, wordBigrams: features.wordBigrams as boolean, charNgram: charNgram as number, separateKinds: features.separateKinds as boolean },
    bias: finite(m.bias, "model.bias", fail),
    hashed: float32s(m.hashed, size, "model.hashed", fail),
    denseMean: numbers(m.denseMean, DENSE_COUNT, "model.denseMean", fail),
    denseScale: numbers(m.denseScale, DENSE_COUNT, "model.denseScale", fail),
    dense: numbers(m.dense, 2 * DENSE_COUNT, "model.dense", fail),
    output: (() => {
      const o = record(m.output, "model.output", fail);
      return { scale: finite(o.scale, "model.output.scale", fail), shift: finite(o.shift, "model.output.shift", fail) };
    })(),
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
    model.subjectClassifier = parseSubjectClassifier(record(m.subjectClassifier, "model.subjectClassifier", fail), hashBits as number, fail);
  }
  const quantiles = root.scoreQuantiles;
  if (!Array.isArray(quantiles) || quantiles.length < 2) fail("scoreQuantiles must be an array of at least 2 scores");
  const scoreQuantiles = [...numbers(quantiles, (quantiles as unknown[]).length, "scoreQuantiles", fail)];
  scoreQuantiles.forEach((q, i) => {
    if (q < 0 || q > 1 || (i > 0 && q < scoreQuantiles[i - 1]!)) fail(`scoreQuantiles[${i}] is out of order or outside [0, 1]`);
  });
  const bloom = record(root.trainingPrompts, "trainingPrompts", fail);
  const bits = bloom.bits;
  const hashes = bloom.hashes;
  if (typeof bits !== "number" || !Number.isInteger(bits) || bits <= 0 || bits % 8 !== 0) fail("trainingPrompts.bits must be a positive multiple of 8");
  if (typeof hashes !== "number" || !Number.isInteger(hashes) || hashes < 1 || hashes > 16) fail("trainingPrompts.hashes must be an integer in 1..16");
  const data = typeof bloom.data === "string" ? Buffer.from(bloom.data, "base64") : fail("trainingPrompts.data must be base64");
  if (data.length * 8 !== bits) fail(`trainingPrompts.data holds ${data.length * 8} bits, not ${String(bits)}`);
  return {
    model,
    scoreQuantiles,
    trainingPrompts: { bits: bits as number, hashes: hashes as number, data: new Uint8Array(data) },
    training: isRecord(root.training) ? root.training : {},
    heldOut: Array.isArray(root.heldOut) ? (root.heldOut as HeldOutFigures[]) : [],
  };
}

type Fail = (reason: string) => never;

/** The subject classifier's fields: the subjects, the buckets (≤ the router's), and int8 weights of the right size. */
function parseSubjectClassifier(c: Record<string, unknown>, hashBits: number, fail: Fail): SubjectClassifier {
  const name = "model.subjectClassifier";
  const subjects = c.subjects;
  if (!Array.isArray(subjects) || subjects.length < 2 || !subjects.every((s) => typeof s === "string" && s !== "") || new Set(subjects).size !== subjects.length) {
    fail(`${name}.subjects must be an array of at least 2 distinct names`);
  }
  const count = (subjects as string[]).length;
  const bits = c.bits;
  if (typeof bits !== "number" || !Number.isInteger(bits) || bits < 4 || bits > hashBits) fail(`${name}.bits must be an integer in 4..${hashBits} (features.hashBits)`);
  const maxFeatures = c.maxFeatures;
  if (typeof maxFeatures !== "number" || !Number.isInteger(maxFeatures) || maxFeatures < 1 || maxFeatures > MAX_SUBJECT_FEATURES) {
    fail(`${name}.maxFeatures must be an integer in 1..${MAX_SUBJECT_FEATURES}`);
  }
  const scale = finite(c.scale, `${name}.scale`, fail);
  if (!(scale > 0)) fail(`${name}.scale must be positive`);
  if (typeof c.weights !== "string") fail(`${name}.weights must be base64 text`);
  const bytes = Buffer.from(c.weights as string, "base64");
  const expected = 2 ** (bits as number) * count;
  if (bytes.length !== expected) fail(`${name}.weights holds ${bytes.length} bytes, expected ${expected} (2^bits × subjects int8 weights)`);
  return {
    subjects: subjects as string[],
    bits: bits as number,
    maxFeatures: maxFeatures as number,
    weight: finite(c.weight, `${name}.weight`, fail),
    bias: numbers(c.bias, count, `${name}.bias`, fail),
    difficulty: numbers(c.difficulty, count, `${name}.difficulty`, fail),
    scale,
    weights: new Int8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function record(value: unknown, name: string, fail: Fail): Record<string, unknown> {
  return isRecord(value) ? value : fail(`${name} must be an object`);
}

function finite(value: unknown, name: string, fail: Fail): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fail(`${name} must be a finite number`);
}

function numbers(value: unknown, length: number, name: string, fail: Fail): Float64Array {
  if (!Array.isArray(value) || value.length !== length) return fail(`${name} must be an array of ${length} numbers`);
  return Float64Array.from(value, (v: unknown, i) => finite(v, `${name}[${i}]`, fail));
}

function float32s(value: unknown, length: number, name: string, fail: Fail): Float32Array {
  if (typeof value !== "string") return fail(`${name} must be base64 text`);
  const bytes = Buffer.from(value, "base64");
  if (bytes.length !== length * 4) return fail(`${name} holds ${bytes.length} bytes, expected ${length * 4} (2^hashBits float32 weights)`);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const v = bytes.readFloatLE(i * 4);
    if (!Number.isFinite(v)) return fail(`${name}[${i}] is not a finite number`);
    out[i] = v;
  }
  return out;
}
