import type { EmbeddingRequest } from "../../core/index.js";
import { checkVectorCount, estimateEmbeddingTokens, isJsonObject, readVector } from "../http/embedding-body.js";

/**
 * Bedrock embeds through `InvokeModel` in the model family's own body: Cohere
 * (`cohere.embed-*`) takes a batch of texts, Titan (`amazon.titan-embed-*`, the default) one text a call.
 */
export const isCohereEmbedModel = (model: string): boolean => /(^|\.)cohere\.embed/.test(model);

export const toTitanEmbedBody = (text: string, dimensions: number | undefined) => ({ inputText: text, ...(dimensions !== undefined ? { dimensions } : {}), normalize: true });

export const toCohereEmbedBody = (request: EmbeddingRequest) => ({ texts: request.input, input_type: "search_document", embedding_types: ["float"] });

/** Titan: `{ embedding: […], inputTextTokenCount }`. */
export function parseTitanEmbedding(body: unknown, provider: string, text: string): { vector: number[]; tokens: number } {
  const vector = readVector(isJsonObject(body) ? body.embedding : undefined, provider, "embedding");
  const tokens = isJsonObject(body) && typeof body.inputTextTokenCount === "number" ? body.inputTextTokenCount : estimateEmbeddingTokens([text]);
  return { vector, tokens };
}

/** Cohere: `{ embeddings: [[…]] }` or, with `embedding_types`, `{ embeddings: { float: [[…]] } }`; no token count. */
export function parseCohereEmbeddings(body: unknown, provider: string, request: EmbeddingRequest): { vectors: number[][]; tokens: number } {
  const raw = isJsonObject(body) ? body.embeddings : undefined;
  const list = Array.isArray(raw) ? raw : isJsonObject(raw) && Array.isArray(raw.float) ? raw.float : [undefined];
  const vectors = list.map((value, i) => readVector(value, provider, `embeddings[${i}]`));
  checkVectorCount(vectors, request.input.length, provider);
  return { vectors, tokens: estimateEmbeddingTokens(request.input) };
}
