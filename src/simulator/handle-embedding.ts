import type { ServerResponse } from "node:http";
import type { EmbeddingWire } from "./embedding-wires.js";
import { createSeededRandom, hashSeed } from "./seeded-random.js";
import { sendJson } from "./send-json.js";
import type { WireFormat } from "./wire/wire-format.js";

/** Vector length when the request names none: short, so tests and the demo stay light. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 16;

/** A unit vector drawn from the seed and the text alone: equal texts embed equally, in every format. */
export function simulatedVector(seed: number, profile: string, text: string, dimensions: number): number[] {
  const random = createSeededRandom(hashSeed(seed, profile, "embed", text));
  const raw = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((v) => v / norm);
}

export interface EmbeddingContext {
  res: ServerResponse;
  wire: WireFormat;
  embedding: EmbeddingWire;
  bodyText: string;
  pathModel: string | undefined;
  /** The profile's model, reported back when it has one. */
  profileModel: string | undefined;
  profileName: string;
  seed: number;
  record(body: unknown): void;
}

/** Answers an embedding request in its format: one deterministic vector per text, tokens at four characters each. */
export function handleEmbedding(context: EmbeddingContext): void {
  const { res, wire, embedding, bodyText, pathModel, profileName, seed, record } = context;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    record(bodyText);
    const error = wire.invalidJson();
    return sendJson(res, error.status, error.body, error.headers);
  }
  record(body);
  const request = embedding.parse(body, pathModel);
  if (request === undefined) {
    // The format's own bad-request shape, as for a body that is not JSON.
    const error = wire.invalidJson();
    return sendJson(res, error.status, error.body, error.headers);
  }
  const dimensions = request.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  const vectors = request.texts.map((text) => simulatedVector(seed, profileName, text, dimensions));
  const tokens = request.texts.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);
  sendJson(res, 200, embedding.render(vectors, tokens, context.profileModel ?? request.model));
}
