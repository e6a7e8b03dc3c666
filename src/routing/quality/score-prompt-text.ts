import { createFeatureBuffer, DENSE_COUNT, extractPromptFeatures } from "./prompt-features.js";
import { linearLogit, sigmoid, type LinearRouterModel } from "./linear-router-model.js";

/** A scoring function over one model that reuses its buffers: no allocation per prompt after the first long one. */
export function createTextScorer(model: LinearRouterModel): (text: string) => number {
  const buffer = createFeatureBuffer(4096);
  const scratch = new Float64Array(2 * DENSE_COUNT);
  return (text) => {
    extractPromptFeatures(text, model.features, buffer);
    return sigmoid(linearLogit(model, buffer, scratch));
  };
}
