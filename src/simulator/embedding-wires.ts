import { decodeBedrockEmbedRequest, encodeBedrockEmbeddings } from "../providers/bedrock/wire/bedrock-embeddings.js";
import { decodeGeminiEmbedRequest, encodeGeminiEmbeddings } from "../providers/gemini/wire/gemini-embeddings.js";
import type { DecodedEmbedRequest } from "../providers/http/embedding-body.js";
import { decodeOllamaEmbedRequest, encodeOllamaEmbeddings } from "../providers/ollama/wire/ollama-embeddings.js";
import { decodeOpenAIEmbedRequest, encodeOpenAIEmbeddings } from "../providers/openai/wire/openai-embeddings.js";
import type { WireName } from "./match-route.js";

/** What an embedding request asks, whatever its wire format. */
export type SimulatedEmbedding = DecodedEmbedRequest;

/** One wire format's embedding body in and answer out; `parse` gives undefined for a body of another shape. */
export interface EmbeddingWire {
  parse(body: unknown, pathModel: string | undefined): SimulatedEmbedding | undefined;
  render(vectors: number[][], tokens: number, model: string): string;
}

const openai: EmbeddingWire = { parse: decodeOpenAIEmbedRequest, render: encodeOpenAIEmbeddings };

/** The simulator's embedding formats, keyed like the chat formats, each read and written by its codec. Anthropic has no embeddings. */
export const EMBEDDING_WIRES: Partial<Record<WireName, EmbeddingWire>> = {
  openai,
  azure: openai,
  ollama: { parse: decodeOllamaEmbedRequest, render: encodeOllamaEmbeddings },
  gemini: { parse: decodeGeminiEmbedRequest, render: (vectors) => encodeGeminiEmbeddings(vectors) },
  bedrock: { parse: decodeBedrockEmbedRequest, render: encodeBedrockEmbeddings },
};
