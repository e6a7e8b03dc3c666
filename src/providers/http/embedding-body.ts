import { ProviderError } from "../../core/index.js";

type Json = Record<string, unknown>;
export const isJsonObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Providers that count no tokens for embeddings: about four characters a token, as the gateway estimates prompts. */
export const estimateEmbeddingTokens = (input: readonly string[]): number => input.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);

/** A list of numbers, or an `invalid_response` naming where it should have been. */
export function readVector(value: unknown, provider: string, where: string): number[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "number")) {
    throw new ProviderError({ kind: "invalid_response", provider, message: `unexpected embeddings body: ${where} is not a list of numbers` });
  }
  return value as number[];
}

/** Exactly one vector per input, else an `invalid_response`. */
export function checkVectorCount(vectors: readonly unknown[], count: number, provider: string): void {
  if (vectors.length !== count) {
    throw new ProviderError({ kind: "invalid_response", provider, message: `unexpected embeddings body: expected ${count} vectors, got ${vectors.length}` });
  }
}

/** What an embedding request asks, whatever its wire format (as the simulator and fake servers read it). */
export interface DecodedEmbedRequest {
  model: string;
  texts: string[];
  dimensions?: number;
}

/** A text or a non-empty list of texts, as embedding bodies send their input; undefined for anything else. */
export const readEmbedTexts = (value: unknown): string[] | undefined =>
  typeof value === "string" ? [value] : Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string") ? (value as string[]) : undefined;

/** The request with `dimensions` when `value` is a positive whole number, as it is without otherwise. */
export const withEmbedDimensions = (request: DecodedEmbedRequest, value: unknown): DecodedEmbedRequest =>
  typeof value === "number" && Number.isInteger(value) && value > 0 ? { ...request, dimensions: value } : request;
