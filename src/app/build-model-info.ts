import { picoToUsdNumber } from "../accounting/index.js";
import type { Config } from "../config/index.js";
import type { ModelGroupInfo } from "../graphql/services.js";
import type { TierPolicy } from "../routing/quality/tier-policy.js";
import type { PriceFor } from "./price-deployments.js";

/** Whether a provider reports usage at the end of a stream (OpenAI-compatible servers mostly do, with stream_options). */
const STREAMING_USAGE: Record<string, boolean> = { openai: true, azure: true, anthropic: true, gemini: true, bedrock: true, ollama: true, simulator: true };

/**
 * What the `models` query and `/v1/models` list: each group with its deployments' prices, limits
 * and capabilities (config first, then the price catalog). A quality group with `adapt` reports
 * the thresholds it routes with at the moment of the call.
 */
export function buildModelInfo(config: Config, priceFor: PriceFor, policies: ReadonlyMap<string, TierPolicy>): () => ModelGroupInfo[] {
  const modelInfo: ModelGroupInfo[] = config.models.map((group) => ({
    name: group.name,
    aliases: group.aliases,
    strategy: group.strategy,
    fallbacks: group.fallbacks,
    ...tierInfo(policies.get(group.name)),
    deployments: group.deployments.map((d) => {
      const price = priceFor(d);
      return {
        id: d.id,
        provider: d.provider,
        model: d.model,
        weight: d.weight,
        ...((d.contextWindow ?? price?.contextWindow) ? { contextWindow: d.contextWindow ?? price?.contextWindow } : {}),
        ...((d.maxOutputTokens ?? price?.maxOutputTokens) ? { maxOutputTokens: d.maxOutputTokens ?? price?.maxOutputTokens } : {}),
        ...(price ? { inputPerMTok: perMTok(price.inputPico), outputPerMTok: perMTok(price.outputPico) } : {}),
        ...(price?.cacheReadPico !== undefined ? { cachedInputPerMTok: perMTok(price.cacheReadPico) } : {}),
        capabilities: {
          tools: d.capabilities?.tools ?? (d.provider === "simulator" || (price?.capabilities.tools ?? true)),
          vision: d.capabilities?.vision ?? price?.capabilities.vision ?? false,
          jsonSchema: d.capabilities?.jsonSchema ?? (d.provider === "simulator" || (price?.capabilities.jsonSchema ?? true)),
          streamingUsage: d.capabilities?.streamingUsage ?? STREAMING_USAGE[d.provider] ?? true,
        },
      };
    }),
  }));
  return () =>
    modelInfo.map((info) => {
      const policy = policies.get(info.name);
      return policy?.kind === "quality" && policy.adaptive ? { ...info, thresholds: [...policy.adaptive.current()] } : info;
    });
}

function tierInfo(policy: TierPolicy | undefined): Pick<ModelGroupInfo, "routingPolicy" | "tiers" | "thresholds" | "configuredThresholds"> {
  if (!policy) return {};
  return { routingPolicy: policy.kind, tiers: policy.tiers, ...(policy.kind === "quality" ? { thresholds: policy.thresholds, configuredThresholds: policy.thresholds } : {}) };
}

function perMTok(pico: bigint): number {
  return picoToUsdNumber(pico * 1_000_000n);
}
