import type { AdapterSettings, ProviderAdapter } from "./spec.js";
import { createOpenAIAdapter } from "./openai/create-openai-adapter.js";
import type { HttpClient } from "./http/create-http-client.js";

/** Providers with an adapter in this build; the config refuses the others at start. */
export const SUPPORTED_PROVIDERS: ReadonlySet<string> = new Set(["openai", "openai-compatible", "simulator"]);

/** Builds the adapter for one deployment from its settings. */
export function createAdapter(settings: AdapterSettings, httpClient?: HttpClient): ProviderAdapter {
  switch (settings.provider) {
    case "openai":
    case "openai-compatible":
    case "simulator":
      return createOpenAIAdapter({ ...settings, ...(httpClient ? { httpClient } : {}) });
    default:
      throw new Error(`provider "${settings.provider}" has no adapter in this build`);
  }
}
