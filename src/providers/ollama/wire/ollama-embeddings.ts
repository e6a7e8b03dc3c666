import type { EmbeddingRequest, EmbeddingResponse } from "../../../core/index.js";
import { checkVectorCount, estimateEmbeddingTokens, isJsonObject, readEmbedTexts, readVector, withEmbedDimensions, type DecodedEmbedRequest } from "../../http/embedding-body.js";

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

/** A `POST /api/embed` body as the simulator reads it; undefined for a body of another shape. */
export function decodeOllamaEmbedRequest(body: unknown): DecodedEmbedRequest | undefined {
  if (!isJsonObject(body)) return undefined;
  const texts = readEmbedTexts(body.input);
  return texts && typeof body.model === "string" ? withEmbedDimensions({ model: body.model, texts }, body.dimensions) : undefined;
}

/** The answer `parseOllamaEmbeddings` reads. */
export const encodeOllamaEmbeddings = (vectors: readonly number[][], tokens: number, model: string): string =>
  JSON.stringify({ model, embeddings: vectors, total_duration: 1_000_000, load_duration: 0, prompt_eval_count: tokens });
