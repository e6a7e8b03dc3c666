import { DENSE_FEATURES } from "./feature-buffer.js";
import type { PromptBloomFilter } from "./prompt-bloom-filter.js";
import { RouterFileError } from "./router-file-error.js";
import { b64, isRecord, numbers, record } from "./router-file-fields.js";
import type { LinearRouterModel } from "./linear-router-model.js";
import { encodeLinearModel, encodeStackedModel, parseLinearModel, parseStackedModel } from "./router-model-codecs.js";
import type { StackedRouterModel } from "./stacked-router-model.js";

export const ROUTER_FILE_FORMAT = "switchyard-router";
/** Bumped whenever features or the model change meaning: an old file is refused, never misread. */
export const ROUTER_FILE_VERSIONS = [2, 3] as const;

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

/**
 * Everything a router file holds, decoded: version 2 (one logistic model over hashed features and
 * the subject classifier) or version 3 (the outcome stack: stacked-router-model.ts).
 */
export type RouterFile = RouterFileContents & ({ version: 2; model: LinearRouterModel } | { version: 3; model: StackedRouterModel });

interface RouterFileContents {
  /** Quantiles 0, 1/(n−1), …, 1 of the training prompts' held-out scores (non-decreasing). */
  scoreQuantiles: number[];
  /** The training prompts, as a Bloom filter. */
  trainingPrompts: PromptBloomFilter;
  /** Free-form provenance: files, row counts, label, options (not read by the scorer). */
  training: Record<string, unknown>;
  heldOut: HeldOutFigures[];
}

/** The file's text: JSON with a fixed key order and weights as little-endian int16 (int8 for the classifier) in base64, so equal models give equal bytes. */
export function serializeRouterFile(file: RouterFile): string {
  const { model } = file;
  return `${JSON.stringify(
    {
      format: ROUTER_FILE_FORMAT,
      version: file.version,
      features: {
        hashBits: model.features.hashBits,
        wordBigrams: model.features.wordBigrams,
        charNgram: model.features.charNgram,
        separateKinds: model.features.separateKinds === true,
        dense: DENSE_FEATURES,
      },
      model: file.version === 3 ? encodeStackedModel(file.model) : encodeLinearModel(file.model),
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
  if (root.version !== 2 && root.version !== 3) {
    fail(`format version ${JSON.stringify(root.version)}, this Switchyard reads versions 2 and 3: retrain it with \`npm run -s router:train\``);
  }
  const features = record(root.features, "features", fail);
  const hashBits = features.hashBits;
  if (typeof hashBits !== "number" || !Number.isInteger(hashBits) || hashBits < 4 || hashBits > 24) fail("features.hashBits must be an integer in 4..24");
  const charNgram = features.charNgram;
  if (typeof charNgram !== "number" || !Number.isInteger(charNgram) || charNgram < 0 || charNgram > 8) fail("features.charNgram must be an integer in 0..8");
  if (typeof features.wordBigrams !== "boolean") fail("features.wordBigrams must be true or false");
  if (typeof features.separateKinds !== "boolean") fail("features.separateKinds must be true or false");
  if (JSON.stringify(features.dense) !== JSON.stringify(DENSE_FEATURES)) fail(`features.dense must list ${DENSE_FEATURES.join(", ")}`);
  const m = record(root.model, "model", fail);
  const options = { hashBits: hashBits as number, wordBigrams: features.wordBigrams as boolean, charNgram: charNgram as number, separateKinds: features.separateKinds as boolean };
  const typed = root.version === 3 ? ({ version: 3, model: parseStackedModel(m, options, fail) } as const) : ({ version: 2, model: parseLinearModel(m, options, fail) } as const);
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
    ...typed,
    scoreQuantiles,
    trainingPrompts: { bits: bits as number, hashes: hashes as number, data: new Uint8Array(data) },
    training: isRecord(root.training) ? root.training : {},
    heldOut: Array.isArray(root.heldOut) ? (root.heldOut as HeldOutFigures[]) : [],
  };
}
