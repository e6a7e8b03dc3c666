import type { Config, DeploymentConfig } from "../config/index.js";
import type { ModelPrice } from "../accounting/index.js";
import type { ProviderAdapter } from "../providers/spec.js";
import type { Deployment, ModelGroup } from "../routing/index.js";
import type { TierPolicy } from "../routing/quality/tier-policy.js";

/** Config groups → router groups, with per-group defaults from `router`. */
export function buildModelGroups(
  config: Config,
  adapterFor: (deployment: DeploymentConfig) => ProviderAdapter,
  priceFor: (deployment: DeploymentConfig) => ModelPrice | undefined,
  policies: ReadonlyMap<string, TierPolicy> = new Map(),
): ModelGroup[] {
  const { router } = config;
  return config.models.map((group) => ({
    name: group.name,
    aliases: group.aliases,
    strategy: group.strategy,
    fallbacks: group.fallbacks,
    contextWindowFallbacks: group.contextWindowFallbacks ?? [],
    contentPolicyFallbacks: group.contentPolicyFallbacks ?? [],
    rateLimitFallbacks: group.rateLimitFallbacks ?? [],
    retries: group.retries ?? router.retries,
    timeoutMs: group.timeoutMs ?? router.timeoutMs,
    firstTokenTimeoutMs: group.firstTokenTimeoutMs ?? router.firstTokenTimeoutMs,
    ...(group.hedge ? { hedgeAfterMs: group.hedge.afterMs } : {}),
    ...(policies.has(group.name) ? { policy: policies.get(group.name)!, tiers: policies.get(group.name)!.tiers } : {}),
    deployments: group.deployments.map((deployment) => toDeployment(deployment, adapterFor(deployment), priceFor(deployment))),
  }));
}

function toDeployment(config: DeploymentConfig, adapter: ProviderAdapter, price: ModelPrice | undefined): Deployment {
  const contextWindow = config.contextWindow ?? price?.contextWindow;
  return {
    id: config.id,
    provider: config.provider,
    model: config.model,
    weight: config.weight,
    adapter,
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
    ...(contextWindow !== undefined ? { contextWindow } : {}),
    ...(config.rpm ? { rpm: config.rpm } : {}),
    ...(config.tpm ? { tpm: config.tpm } : {}),
    ...((config.mode ?? price?.mode) !== undefined ? { mode: (config.mode ?? price?.mode)! } : {}),
    ...(price === undefined ? { unpriced: true, ...(config.allowUnpriced === true ? { unpricedAllowed: true } : {}) } : {}),
    ...(price ? { inputPicoPerToken: Number(price.inputPico), outputPicoPerToken: Number(price.outputPico) } : {}),
    // The config's word wins; then only a catalog entry that says "no" rules a deployment out (unknown models are assumed capable).
    ...capability("supportsTools", config.capabilities?.tools, price && config.provider !== "simulator" ? price.capabilities.tools : undefined),
    ...capability("supportsJsonSchema", config.capabilities?.jsonSchema, price && config.provider !== "simulator" ? price.capabilities.jsonSchema : undefined),
    ...capability("supportsVision", config.capabilities?.vision, price && config.provider !== "simulator" ? price.capabilities.vision : undefined),
  };
}

function capability<K extends string>(key: K, configured: boolean | undefined, catalog: boolean | undefined): Partial<Record<K, boolean>> {
  if (configured !== undefined) return { [key]: configured } as Record<K, boolean>;
  return catalog === false ? ({ [key]: false } as Record<K, boolean>) : {};
}
