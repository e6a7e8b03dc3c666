import type { EmbeddingRequest, EmbeddingResponse } from "../../core/index.js";
import { checkVectorCount, estimateEmbeddingTokens, isJsonObject, readVector } from "../http/embedding-body.js";

const modelName = (model: string): string => (model.startsWith("models/") ? model : `models/${model}`);

/** `POST models/{model}:batchEmbedContents`: one request per text, `outputDimensionality` where asked. */
export const toGeminiEmbedBody = (request: EmbeddingRequest) => ({
  requests: request.input.map((text) => ({
    model: modelName(request.model),
    content: { parts: [{ text }] },
    ...(request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {}),
  })),
});

/** `{ embeddings: [{ values: […] }] }`; Gemini counts no tokens here, so they are estimated. */
export function parseGeminiEmbeddings(body: unknown, context: { provider: string; request: EmbeddingRequest }): EmbeddingResponse {
  const { provider, request } = context;
  const list = isJsonObject(body) && Array.isArray(body.embeddings) ? body.embeddings : [undefined];
  const vectors = list.map((item, i) => readVector(isJsonObject(item) ? item.values : undefined, provider, `embeddings[${i}].values`));
  checkVectorCount(vectors, request.input.length, provider);
  return { model: request.model, vectors, inputTokens: estimateEmbeddingTokens(request.input) };
}
