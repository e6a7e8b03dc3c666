import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildRouterFile, DEFAULT_TRAIN_OPTIONS } from "../build-router-file.js";
import { loadPromptScorer } from "../load-prompt-scorer.js";
import { parseRoutingCsv, type RoutingDataset } from "../read-routing-csv.js";
import { RouterFileError } from "../router-file-error.js";
import { serializeRouterFile } from "../router-file.js";
import { syntheticRoutingCsv } from "./synthetic-routing-csv.js";

/** Small tables (2^10 buckets), so a router trains in a test's time. */
export const SMALL_TRAIN_OPTIONS = { ...DEFAULT_TRAIN_OPTIONS, features: { ...DEFAULT_TRAIN_OPTIONS.features, hashBits: 10 } };

export interface TrainedRouterFixture {
  version: 2 | 3;
  /** 240 synthetic prompts with both models' outcomes. */
  dataset: RoutingDataset;
  /** The serialised file trained on them (3 folds). */
  trained: string;
  /** Where it is written. */
  path: string;
  /** Trains again with the same options on other data. */
  train(dataset: RoutingDataset): string;
  /** Writes `text` as a router file and returns the RouterFileError loading it throws (fails if it loads). */
  loadError(text: string): RouterFileError;
  /** A temporary folder for more files; removed by `remove()`. */
  dir: string;
  remove(): void;
}

/** A router of `version` trained on synthetic data and written to a temporary folder. */
export function trainedRouterFixture(version: 2 | 3): TrainedRouterFixture {
  const dir = mkdtempSync(join(tmpdir(), `router-file-v${version}-`));
  const train = (data: RoutingDataset) => serializeRouterFile(buildRouterFile([data], { train: SMALL_TRAIN_OPTIONS, folds: 3, version }));
  const dataset = parseRoutingCsv("synthetic.csv", syntheticRoutingCsv(240), { requireOutcomes: true });
  const trained = train(dataset);
  const path = join(dir, "router.json");
  writeFileSync(path, trained);
  let bad = 0;
  return {
    version,
    dataset,
    trained,
    path,
    train,
    dir,
    remove: () => rmSync(dir, { recursive: true, force: true }),
    loadError(text) {
      const file = join(dir, `bad-${bad++}.json`);
      writeFileSync(file, text);
      try {
        loadPromptScorer(file);
      } catch (error) {
        if (RouterFileError.isInstance(error)) return error;
        throw error;
      }
      throw new Error("loaded a bad router file");
    },
  };
}
