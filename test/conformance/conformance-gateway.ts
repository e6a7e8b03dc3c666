/**
 * One gateway for the whole matrix: per provider a group of one deployment answered by the simulator
 * (`{provider}`), one of a reasoning model (`{provider}-reasoning`) and one of an embedding model
 * (`{provider}-embedding`, answered by the simulator too), all behind one upstream server.
 */
import { createPriceCatalog, resolveDeploymentPrice, type ModelPrice } from "../../src/accounting/index.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { PROVIDERS, type Provider } from "./conformance-types.js";
import { startConformanceUpstream, type ConformanceUpstream, type UpstreamDeployment } from "./conformance-upstream.js";

interface ModelChoice {
  /** For text, streams, tools, images and prompt caching. */
  model: string;
  /** A reasoning model of the same provider. */
  reasoningModel: string;
  /** An embedding model of the provider; Anthropic has none. */
  embeddingModel?: string;
  /** Local models: the config prices them at 0 (the catalog has no price for them). */
  free?: boolean;
}

const MODELS: Readonly<Record<Provider, ModelChoice>> = {
  openai: { model: "gpt-4o-mini", reasoningModel: "o4-mini", embeddingModel: "text-embedding-3-small" },
  azure: { model: "gpt-4o-mini", reasoningModel: "o4-mini", embeddingModel: "text-embedding-3-small" },
  "openai-compatible": { model: "gpt-4o-mini", reasoningModel: "deepseek-reasoner", embeddingModel: "text-embedding-3-small" },
  anthropic: { model: "claude-3-5-haiku-20241022", reasoningModel: "claude-sonnet-4-20250514" },
  gemini: { model: "gemini-2.0-flash", reasoningModel: "gemini-2.5-flash", embeddingModel: "gemini-embedding-001" },
  bedrock: { model: "anthropic.claude-3-5-haiku-20241022-v1:0", reasoningModel: "anthropic.claude-sonnet-4-20250514-v1:0", embeddingModel: "amazon.titan-embed-text-v2:0" },
  ollama: { model: "llava", reasoningModel: "qwen3", embeddingModel: "nomic-embed-text", free: true },
};

export const MASTER_KEY = "sk-conformance";
export const reasoningGroup = (provider: Provider) => `${provider}-reasoning`;
/** The group to ask for embeddings: the provider's embedding model, else (Anthropic) its chat model's group. */
export const embeddingGroup = (provider: Provider) => (MODELS[provider].embeddingModel !== undefined ? `${provider}-embedding` : provider);

export interface ConformanceGateway {
  gateway: TestGateway;
  upstream: ConformanceUpstream;
  /** The provider model behind a group, and its price as the catalog (and the config's overrides) say. */
  modelOf(group: string): { model: string; provider: Provider; price: ModelPrice | undefined };
  close(): Promise<void>;
}

/** A deployment's settings beyond provider, model and baseUrl: credentials and the provider's own fields. */
function providerFields(provider: Provider, model: string): string {
  switch (provider) {
    case "azure":
      return `apiKey: test, deployment: ${model}`;
    case "bedrock":
      return "region: us-east-1, accessKeyId: AKIDCONFORMANCE, secretAccessKey: conformance";
    case "openai-compatible":
      return "apiKey: test, preset: vllm";
    default:
      return "apiKey: test";
  }
}

const basePath = (provider: Provider) => (provider === "openai" || provider === "openai-compatible" ? "/v1" : "");

export async function startConformanceGateway(): Promise<ConformanceGateway> {
  const deployments: UpstreamDeployment[] = PROVIDERS.flatMap((provider) => [
    { id: provider, provider, model: MODELS[provider].model, reasoning: false },
    { id: reasoningGroup(provider), provider, model: MODELS[provider].reasoningModel, reasoning: true },
    ...(MODELS[provider].embeddingModel !== undefined ? [{ id: embeddingGroup(provider), provider, model: MODELS[provider].embeddingModel!, reasoning: false }] : []),
  ]);
  const upstream = await startConformanceUpstream(deployments);
  const free = "pricing: { inputPerMTok: 0, outputPerMTok: 0 }";
  const groups = deployments.map(
    (d) => `  - name: ${d.id}
    retries: 0
    deployments:
      - { id: ${d.id}, provider: ${d.provider}, model: "${d.model}", baseUrl: "${upstream.url}/p/${d.id}${basePath(d.provider)}", ${providerFields(d.provider, d.model)}${MODELS[d.provider].free ? `, ${free}` : ""} }`,
  );
  const config = `models:\n${groups.join("\n")}\nrouter:\n  backoff: { baseMs: 1, maxMs: 5 }\n`;
  let gateway: TestGateway;
  try {
    gateway = await startTestGateway(config, { masterKey: MASTER_KEY });
  } catch (error) {
    await upstream.close();
    throw error;
  }
  const catalog = createPriceCatalog();
  const byId = new Map(deployments.map((d) => [d.id, d]));
  return {
    gateway,
    upstream,
    modelOf(group) {
      const d = byId.get(group)!;
      const override = MODELS[d.provider].free ? { inputPerMTok: 0, outputPerMTok: 0 } : undefined;
      return { model: d.model, provider: d.provider, price: resolveDeploymentPrice(catalog, { model: d.model, provider: d.provider, ...(override ? { override } : {}) }) };
    },
    async close() {
      await gateway.close();
      await upstream.close();
    },
  };
}
