import type { ChatRequest } from "../../core/index.js";
import type { HttpClient, HttpTarget } from "../http/create-http-client.js";
import { createOpenAIAdapter } from "../openai/create-openai-adapter.js";
import type { AdapterSettings, ProviderAdapter } from "../spec.js";
import { AZURE_DEFAULT_API_VERSION, azureChatTarget, azureResourceRoot } from "./azure-chat-target.js";
import { classifyAzureError } from "../openai/wire/classify-azure-error.js";

export interface AzureAdapterSettings extends AdapterSettings {
  httpClient?: HttpClient;
}

const nonEmpty = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

const apiKeyHeader = (apiKey: string): Record<string, string> => ({ "api-key": apiKey });

/**
 * An adapter for Azure OpenAI chat completions (WIRE §2): OpenAI's translation and stream
 * parsing with Azure's URL (`baseUrl` is the resource root `https://NAME.openai.azure.com`),
 * the `api-key` header, and content-filter details kept in error messages.
 * `extra.deployment` names the deployment (else the request's model does); `extra.apiVersion`
 * overrides the stable API version. Without an apiKey no key header is sent, so an Entra ID
 * token can be given as `extra.headers.authorization` instead.
 * Azure's own stream chunks (a first one with empty `choices` and `prompt_filter_results`,
 * `content_filter_results` on choices) carry nothing the parser reads and are passed over.
 */
export function createAzureAdapter(settings: AzureAdapterSettings): ProviderAdapter {
  const baseUrl = nonEmpty(settings.baseUrl);
  if (baseUrl === undefined) {
    throw new Error(`azure: baseUrl must be the resource root, e.g. https://NAME.openai.azure.com`);
  }
  const root = azureResourceRoot(baseUrl);
  const apiVersion = nonEmpty(settings.extra.apiVersion) ?? AZURE_DEFAULT_API_VERSION;
  const deployment = nonEmpty(settings.extra.deployment);
  const fixed = deployment !== undefined ? azureChatTarget(root, deployment, apiVersion) : undefined;
  const urlFor = (request: ChatRequest): HttpTarget => fixed ?? azureChatTarget(root, request.model, apiVersion);
  const embedUrlFor = (model: string): HttpTarget => azureChatTarget(root, deployment ?? model, apiVersion, "embeddings");

  return createOpenAIAdapter({
    ...settings,
    baseUrl: root,
    urlFor,
    embedUrlFor,
    authHeaders: apiKeyHeader,
    classifyError: classifyAzureError,
  });
}
