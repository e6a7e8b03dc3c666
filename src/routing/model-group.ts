import type { ProviderAdapter } from "../providers/spec.js";

/** One routable target: a provider model behind one adapter. */
export interface Deployment {
  id: string;
  provider: string;
  /** The provider's model name sent upstream. */
  model: string;
  weight: number;
  adapter: ProviderAdapter;
  /** Per-attempt limit; the call's remaining deadline bounds it too. */
  timeoutMs?: number;
  /** Input tokens the model accepts, when known. */
  contextWindow?: number;
}

export interface ModelGroup {
  name: string;
  aliases: string[];
  strategy: string;
  deployments: Deployment[];
  fallbacks: string[];
  contextWindowFallbacks: string[];
  contentPolicyFallbacks: string[];
  rateLimitFallbacks: string[];
  /** Retries after the first attempt, within this group. */
  retries: number;
  /** Overall deadline of a call that starts in this group. */
  timeoutMs: number;
  firstTokenTimeoutMs: number;
}

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}
