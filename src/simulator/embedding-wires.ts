import { decodeBedrockEmbedRequest, encodeBedrockEmbeddings } from "../providers/bedrock/wire/bedrock-embeddings.js";
import { decodeGeminiEmbedRequest, encodeGeminiEmbeddings } from "../providers/gemini/wire/gemini-embeddings.js";
import type { WireName } from "./match-route.js";

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] | undefined =>
  typeof value === "string" ? [value] : Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string") ? (value as string[]) : undefined;

/** What an embedding request asks, whatever its wire format. */
export interface SimulatedEmbedding {
  model: string;
  texts: string[];
  dimensions?: number;
}

/** One wire format's embedding body in and answer out; `parse` gives undefined for a body of another shape. */
export interface EmbeddingWire {
  parse(body: unknown, pathModel: string | undefined): SimulatedEmbedding | undefined;
  render(vectors: number[][], tokens: number, model: string): string;
}

const dims = (value: unknown): number | undefined => (typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined);
const withDims = (request: SimulatedEmbedding, value: unknown): SimulatedEmbedding => {
  const d = dims(value);
  return d === undefined ? request : { ...request, dimensions: d };
};

const openai: EmbeddingWire = {
  parse(body, pathModel) {
    const texts = isRecord(body) ? strings(body.input) : undefined;
    const model = pathModel ?? (isRecord(body) && typeof body.model === "string" ? body.model : undefined);
    return texts && model ? withDims({ model, texts }, (body as Json).dimensions) : undefined;
  },
  render: (vectors, tokens, model) =>
    JSON.stringify({ object: "list", data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding })), model, usage: { prompt_tokens: tokens, total_tokens: tokens } }),
};

/** The simulator's embedding formats, keyed like the chat formats. Anthropic has no embeddings. */
export const EMBEDDING_WIRES: Partial<Record<WireName, EmbeddingWire>> = {
  openai,
  azure: openai,
  ollama: {
    parse(body) {
      const texts = isRecord(body) ? strings(body.input) : undefined;
      return texts && typeof (body as Json).model === "string" ? withDims({ model: (body as Json).model as string, texts }, (body as Json).dimensions) : undefined;
    },
    render: (vectors, tokens, model) => JSON.stringify({ model, embeddings: vectors, total_duration: 1_000_000, load_duration: 0, prompt_eval_count: tokens }),
  },
  // Gemini's and Bedrock's bodies are read and written by their codecs.
  gemini: { parse: decodeGeminiEmbedRequest, render: (vectors) => encodeGeminiEmbeddings(vectors) },
  bedrock: { parse: decodeBedrockEmbedRequest, render: encodeBedrockEmbeddings },
};
