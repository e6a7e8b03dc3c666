import { badInput, type EmbeddingRequest } from "../core/index.js";
import { MAX_EMBEDDING_INPUTS } from "./embedding-types.js";

/** Refuses embedding requests no provider could serve, naming the field (`param` as OpenAI's errors do). */
export function validateEmbeddingRequest(request: EmbeddingRequest): void {
  if (!Array.isArray(request.input) || request.input.length === 0) throw badInput("input: at least one text is required", { field: "input", param: "input" });
  if (request.input.length > MAX_EMBEDDING_INPUTS) {
    throw badInput(`input: at most ${MAX_EMBEDDING_INPUTS} texts in one request`, { field: "input", param: "input", limit: MAX_EMBEDDING_INPUTS });
  }
  request.input.forEach((text, i) => {
    if (typeof text !== "string" || text === "") throw badInput(`input[${i}]: must be a non-empty string`, { field: `input[${i}]`, param: "input" });
  });
  if (request.dimensions !== undefined && !(Number.isInteger(request.dimensions) && request.dimensions > 0)) {
    throw badInput("dimensions: must be a positive integer", { field: "dimensions", param: "dimensions" });
  }
}
