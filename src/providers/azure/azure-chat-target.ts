import type { HttpTarget } from "../http/create-http-client.js";

/** The stable API version WIRE §2 is written against; preview versions go in `extra.apiVersion`. */
export const AZURE_DEFAULT_API_VERSION = "2024-10-21";

/**
 * The resource root with no trailing slash. `…/openai` (the base URL the OpenAI SDK builds from
 * the endpoint) is accepted too, so either form of the setting works.
 */
export function azureResourceRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "").replace(/\/openai$/, "");
}

/** `{root}/openai/deployments/{deployment}/chat/completions?api-version={apiVersion}` (or `/embeddings`) as an HTTP target. */
export function azureChatTarget(root: string, deployment: string, apiVersion: string, operation: "chat/completions" | "embeddings" = "chat/completions"): HttpTarget {
  const url = new URL(
    `${root}/openai/deployments/${encodeURIComponent(deployment)}/${operation}?api-version=${encodeURIComponent(apiVersion)}`,
  );
  return { origin: url.origin, path: url.pathname + url.search };
}
