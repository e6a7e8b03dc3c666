import type { EmbeddingRequest, EmbeddingResponse } from "../../../core/index.js";
import { checkVectorCount, estimateEmbeddingTokens, isJsonObject, readVector, withEmbedDimensions, type DecodedEmbedRequest } from "../../http/embedding-body.js";

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

/**
 * A batchEmbedContents body as the simulator reads it: the model from the path, a text per request,
 * `outputDimensionality` of the first; undefined for a body of another shape.
 */
export function decodeGeminiEmbedRequest(body: unknown, pathModel: string | undefined): DecodedEmbedRequest | undefined {
  if (!isJsonObject(body) || !Array.isArray(body.requests) || body.requests.length === 0 || pathModel === undefined) return undefined;
  const texts: string[] = [];
  for (const item of body.requests) {
    const parts = isJsonObject(item) && isJsonObject(item.content) && Array.isArray(item.content.parts) ? item.content.parts : undefined;
    if (!parts) return undefined;
    texts.push(parts.map((p) => (isJsonObject(p) && typeof p.text === "string" ? p.text : "")).join(""));
  }
  const first = body.requests[0];
  return withEmbedDimensions({ model: pathModel, texts }, isJsonObject(first) ? first.outputDimensionality : undefined);
}

/** The answer `parseGeminiEmbeddings` reads. */
export const encodeGeminiEmbeddings = (vectors: readonly number[][]): string => JSON.stringify({ embeddings: vectors.map((values) => ({ values })) });
