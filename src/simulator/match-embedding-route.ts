import { decode, splitProfile, type WireName } from "./match-route.js";

export interface EmbeddingRoute {
  wire: WireName;
  profile: string | undefined;
  /** The model named by the path (Gemini, Bedrock) or the Azure deployment. */
  model?: string;
}

/**
 * The embedding endpoints of each wire format, under `/…` or `/p/{profile}/…`: OpenAI `/v1/embeddings`,
 * Azure `/openai/deployments/{d}/embeddings`, Gemini `models/{m}:batchEmbedContents`, Bedrock
 * `/model/{id}/invoke`, Ollama `/api/embed`.
 */
export function matchEmbeddingRoute(method: string, path: string): EmbeddingRoute | undefined {
  if (method !== "POST") return undefined;
  const split = splitProfile(path);
  if (split === undefined) return undefined;
  const { profile, rest } = split;
  if (rest === "/v1/embeddings") return { wire: "openai", profile };
  if (rest === "/api/embed") return { wire: "ollama", profile };
  const azure = /^\/openai\/deployments\/([^/]+)\/embeddings$/.exec(rest);
  if (azure) return withModel("azure", profile, azure[1]!);
  const gemini = /^\/v1(?:beta)?\/models\/([^/:]+):batchEmbedContents$/.exec(rest);
  if (gemini) return withModel("gemini", profile, gemini[1]!);
  const bedrock = /^\/model\/([^/]+)\/invoke$/.exec(rest);
  if (bedrock) return withModel("bedrock", profile, bedrock[1]!);
  return undefined;
}

function withModel(wire: WireName, profile: string | undefined, segment: string): EmbeddingRoute | undefined {
  const model = decode(segment);
  return model === undefined ? undefined : { wire, profile, model };
}
