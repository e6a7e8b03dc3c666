/** What the catalog knows about a model's abilities; false also means "the catalog does not say". */
export interface ModelCapabilities {
  tools: boolean;
  vision: boolean;
  jsonSchema: boolean;
  promptCaching: boolean;
  /** Only true when the catalog says so explicitly; most entries are silent on it. */
  systemMessages: boolean;
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
}

export const noCapabilities = (): ModelCapabilities => ({
  tools: false,
  vision: false,
  jsonSchema: false,
  promptCaching: false,
  systemMessages: false,
});
