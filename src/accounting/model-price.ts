/**
 * What the catalog says about a model's abilities: true (it can), false (the catalog says it cannot),
 * undefined (the catalog does not say: unknown, which routing treats as "try").
 */
export interface ModelCapabilities {
  tools?: boolean;
  vision?: boolean;
  jsonSchema?: boolean;
  promptCaching?: boolean;
  systemMessages?: boolean;
}

/**
 * A model's price in integer pico-USD (1e-12 USD) per token, so that costs add up exactly.
 * Optional prices fall back to `inputPico` (cache) or `outputPico` (reasoning) when absent.
 */
export interface ModelPrice {
  provider?: string;
  inputPico: bigint;
  outputPico: bigint;
  cacheReadPico?: bigint;
  cacheWritePico?: bigint;
  reasoningPico?: bigint;
  /** Max input tokens. */
  contextWindow?: number;
  maxOutputTokens?: number;
  capabilities: ModelCapabilities;
  /** What the catalog says the model is for; absent when it does not know the model. */
  mode?: "chat" | "embedding";
}

/** Nothing known: every capability unknown. */
export const noCapabilities = (): ModelCapabilities => ({});
