import type { EmbeddingRequest, EmbeddingResponse } from "../../../core/index.js";
import { checkVectorCount, estimateEmbeddingTokens, isJsonObject, readVector } from "../../http/embedding-body.js";

/** `POST /api/embed` (WIRE §6): `{ model, input: [...] }`, `dimensions` where asked. */
export const toOllamaEmbedBody = (request: EmbeddingRequest) => ({ model: request.model, input: request.input, dimensions: request.dimensions });

/** `{ model, embeddings: [[…]], prompt_eval_count }`. */
export function parseOllamaEmbeddings(body: unknown, context: { provider: string; request: EmbeddingRequest }): EmbeddingResponse {
  const { provider, request } = context;
  const list = isJsonObject(body) && Array.isArray(body.embeddings) ? body.embeddings : undefined;
  const vectors = (list ?? [undefined]).map((value, i) => readVector(value, provider, `embeddings[${i}]`));
  checkVectorCount(vectors, request.input.length, provider);
  const counted = isJsonObject(body) && typeof body.prompt_eval_count === "number" ? body.prompt_eval_count : undefined;
  return {
    model: isJsonObject(body) && typeof body.model === "string" && body.model !== "" ? body.model : request.model,
    vectors,
    inputTokens: counted ?? estimateEmbeddingTokens(request.input),
  };
}
