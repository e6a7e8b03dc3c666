import type { Config, DeploymentConfig } from "../config/index.js";
import type { ModelPrice } from "../accounting/index.js";
import type { ProviderAdapter } from "../providers/spec.js";
import type { ModelGroup } from "../routing/index.js";

/** Config groups → router groups, with per-group defaults from `router`. */
export function buildModelGroups(
  config: Config,
  adapterFor: (deployment: DeploymentConfig) => ProviderAdapter,
  priceFor: (deployment: DeploymentConfig) => ModelPrice | undefined,
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
    deployments: group.deployments.map((deployment) => ({
      id: deployment.id,
      provider: deployment.provider,
      model: deployment.model,
      weight: deployment.weight,
      adapter: adapterFor(deployment),
      ...(deployment.timeoutMs ? { timeoutMs: deployment.timeoutMs } : {}),
      ...(contextWindowOf(deployment, priceFor) !== undefined ? { contextWindow: contextWindowOf(deployment, priceFor)! } : {}),
    })),
  }));
}

function contextWindowOf(deployment: DeploymentConfig, priceFor: (d: DeploymentConfig) => ModelPrice | undefined): number | undefined {
  return deployment.contextWindow ?? priceFor(deployment)?.contextWindow;
}
