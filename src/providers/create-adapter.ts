import { createAnthropicAdapter } from "./anthropic/index.js";
import { createAzureAdapter } from "./azure/index.js";
import { createBedrockAdapter } from "./bedrock/index.js";
import { createGeminiAdapter } from "./gemini/index.js";
import type { HttpClient } from "./http/create-http-client.js";
import { createOllamaAdapter } from "./ollama/index.js";
import { createOpenAIAdapter } from "./openai/create-openai-adapter.js";
import { createOpenAICompatibleAdapter } from "./openai-compatible/index.js";
import type { AdapterSettings, ProviderAdapter } from "./spec.js";

type Factory = (settings: AdapterSettings & { httpClient?: HttpClient }) => ProviderAdapter;

/** Provider name (as in the config) → adapter factory. */
const FACTORIES: Readonly<Record<string, Factory>> = {
  openai: createOpenAIAdapter,
  "openai-compatible": createOpenAICompatibleAdapter,
  azure: createAzureAdapter,
  ollama: createOllamaAdapter,
  simulator: createOpenAIAdapter,
  anthropic: createAnthropicAdapter,
  gemini: createGeminiAdapter,
  bedrock: createBedrockAdapter,
};

/** Providers with an adapter in this build; the config refuses the others at start. */
export const SUPPORTED_PROVIDERS: ReadonlySet<string> = new Set(Object.keys(FACTORIES));

/** Builds the adapter for one deployment from its settings. */
export function createAdapter(settings: AdapterSettings, httpClient?: HttpClient): ProviderAdapter {
  const factory = FACTORIES[settings.provider];
  if (!factory) throw new Error(`provider "${settings.provider}" has no adapter in this build`);
  return factory({ ...settings, ...(httpClient ? { httpClient } : {}) });
}
