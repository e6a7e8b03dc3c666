/** The doors a client talks to and the features the conformance matrix checks through each. */
export const DOORS = ["chat", "responses", "messages", "graphql"] as const;
export type Door = (typeof DOORS)[number];

export const FEATURES = ["text", "stream", "tools", "imageData", "imageUrl", "reasoning", "reasoningStream", "cachePricing"] as const;
export type Feature = (typeof FEATURES)[number];

export const PROVIDERS = ["openai", "azure", "openai-compatible", "anthropic", "gemini", "bedrock", "ollama"] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Where embeddings are asked for: `POST /v1/embeddings` and the GraphQL `embed` mutation. */
export const EMBEDDING_DOORS = ["embeddings", "embed"] as const;
export type EmbeddingDoor = (typeof EMBEDDING_DOORS)[number];

/**
 * `supported`: the cell's check passed. `unsupported`: the provider cannot do it, shown by what really
 * happened (the gateway refused with a typed 400 before anything reached the provider, or the
 * provider's answer carries nothing for it). `failing`: anything else.
 */
export type Verdict = "supported" | "unsupported" | "failing";

export interface CellResult {
  door: Door;
  provider: Provider;
  feature: Feature;
  verdict: Verdict;
  /** What the check saw, short: a wire shape, a refusal's message, why it failed. */
  note?: string;
}

/** One cell of the embeddings table (door × provider). */
export interface EmbeddingCellResult {
  door: EmbeddingDoor;
  provider: Provider;
  verdict: Verdict;
  note?: string;
}

export interface ConformanceResults {
  cells: CellResult[];
  embeddings: EmbeddingCellResult[];
}

/** A check's outcome when it did not throw: passed (with a note), or the provider cannot do it. */
export type CheckOutcome = { verdict: "supported" | "unsupported"; note?: string };

/** A failed expectation inside a check; its message becomes the failing cell's note. */
export class CheckFailed extends Error {}

export function expectThat(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}
