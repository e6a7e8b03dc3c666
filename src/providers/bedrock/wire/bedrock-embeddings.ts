import type { EmbeddingRequest } from "../../../core/index.js";
import { checkVectorCount, estimateEmbeddingTokens, isJsonObject, readEmbedTexts, readVector, withEmbedDimensions, type DecodedEmbedRequest } from "../../http/embedding-body.js";

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

/**
 * A Titan or Cohere embedding body as the simulator reads it: the model from the path, Titan's one
 * text (and `dimensions`) or Cohere's `texts`; undefined for a body of another shape.
 */
export function decodeBedrockEmbedRequest(body: unknown, pathModel: string | undefined): DecodedEmbedRequest | undefined {
  if (!isJsonObject(body) || pathModel === undefined) return undefined;
  if (typeof body.inputText === "string") return withEmbedDimensions({ model: pathModel, texts: [body.inputText] }, body.dimensions);
  const texts = readEmbedTexts(body.texts);
  return texts === undefined ? undefined : { model: pathModel, texts };
}

/** The answer `parseCohereEmbeddings` (Cohere models) or `parseTitanEmbedding` (Titan, one vector) reads. */
export const encodeBedrockEmbeddings = (vectors: readonly number[][], tokens: number, model: string): string =>
  isCohereEmbedModel(model)
    ? JSON.stringify({ id: "sim", texts: [], embeddings: { float: vectors }, response_type: "embeddings_by_type" })
    : JSON.stringify({ embedding: vectors[0], inputTextTokenCount: tokens });
