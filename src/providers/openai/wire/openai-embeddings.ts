import { ProviderError, type EmbeddingResponse } from "../../../core/index.js";
import { readEmbedTexts, withEmbedDimensions, type DecodedEmbedRequest } from "../../http/embedding-body.js";
import { classifyOpenAIError } from "./classify-openai-error.js";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const invalid = (provider: string, message: string) =>
  new ProviderError({ kind: "invalid_response", provider, message: `unexpected embeddings body: ${message}` });

/** The `{ model, input, dimensions? }` body of `POST /embeddings`; floats, as the gateway encodes for its clients itself. */
export function toOpenAIEmbeddingsBody(request: { model: string; input: string[]; dimensions?: number; user?: string }): Json {
  return { model: request.model, input: request.input, encoding_format: "float", dimensions: request.dimensions, user: request.user };
}

/** An OpenAI (or Azure, or compatible) embeddings list: vectors put back in input order by `index`. */
export function parseOpenAIEmbeddings(body: unknown, context: { provider: string; model: string; count: number }): EmbeddingResponse {
  const { provider } = context;
  if (!isObject(body)) throw invalid(provider, "not a JSON object");
  if (isObject(body.error) || typeof body.error === "string") throw classifyOpenAIError({ provider, body });
  if (!Array.isArray(body.data)) throw invalid(provider, "no data");
  const vectors: number[][] = new Array(context.count);
  body.data.forEach((item: unknown, position) => {
    if (!isObject(item) || !Array.isArray(item.embedding) || item.embedding.some((v) => typeof v !== "number")) {
      throw invalid(provider, `data[${position}].embedding is not a list of numbers`);
    }
    const index = typeof item.index === "number" ? item.index : position;
    if (!(index >= 0 && index < context.count)) throw invalid(provider, `data[${position}].index ${index} is out of range`);
    vectors[index] = item.embedding as number[];
  });
  if (body.data.length !== context.count || vectors.some((v) => v === undefined)) throw invalid(provider, `expected ${context.count} vectors, got ${body.data.length}`);
  const usage = isObject(body.usage) ? body.usage : {};
  return {
    model: typeof body.model === "string" && body.model !== "" ? body.model : context.model,
    vectors,
    inputTokens: typeof usage.prompt_tokens === "number" ? usage.prompt_tokens : 0,
  };
}

/** A `POST /embeddings` body as the simulator reads it (Azure names the model in the path); undefined for a body of another shape. */
export function decodeOpenAIEmbedRequest(body: unknown, pathModel: string | undefined): DecodedEmbedRequest | undefined {
  if (!isObject(body)) return undefined;
  const texts = readEmbedTexts(body.input);
  const model = pathModel ?? (typeof body.model === "string" ? body.model : undefined);
  return texts && model ? withEmbedDimensions({ model, texts }, body.dimensions) : undefined;
}

/** The answer `parseOpenAIEmbeddings` reads. */
export const encodeOpenAIEmbeddings = (vectors: readonly number[][], tokens: number, model: string): string =>
  JSON.stringify({ object: "list", data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding })), model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
