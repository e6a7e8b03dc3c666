import type { ProviderAdapter } from "../providers/spec.js";
import type { TierPolicy } from "./quality/tier-policy.js";

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
  /** Configured limits, for the usage strategy. */
  rpm?: number;
  tpm?: number;
  /** Prices in pico-USD per token, for the cost strategy. */
  inputPicoPerToken?: number;
  outputPicoPerToken?: number;
  /** No price is known (neither the catalog nor the config's `pricing`): its calls' cost is unknown, not zero. */
  unpriced?: boolean;
  /** `allowUnpriced` in the config: keys with a budget may use it although it has no price. */
  unpricedAllowed?: boolean;
  /** Chat completions or embeddings (config `mode`, else the catalog); undefined = unknown, tried for both. */
  mode?: "chat" | "embedding";
  /** What the model can do; undefined = assume yes. */
  supportsTools?: boolean;
  supportsJsonSchema?: boolean;
  /** Takes images in messages (catalog `supports_vision`, config `capabilities.vision`); undefined = unknown, tried. */
  supportsVision?: boolean;
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
  /** Hedged requests: start a second attempt after this many ms without an answer; "auto" = the group's recent p95. */
  hedgeAfterMs?: number | "auto";
  /** A quality or cascade group: it holds no deployments and routes over its tiers (other groups). */
  policy?: TierPolicy;
  /** The policy's tiers, for `reachableGroups`. */
  tiers?: readonly string[];
}

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}
