import { hasImagePart, type ChatRequest, type ProviderError } from "../core/index.js";

/** Request features a deployment may turn out not to support, whatever the catalog said (or did not say). */
export type RequestFeature = "tools" | "json_schema" | "json_object" | "vision";

/** What a request needs of a deployment; empty when nothing optional. */
export function featuresOf(request: ChatRequest): RequestFeature[] {
  const features: RequestFeature[] = [];
  if ((request.tools?.length ?? 0) > 0 && request.toolChoice !== "none") features.push("tools");
  if (request.responseFormat?.type === "json_schema") features.push("json_schema");
  if (request.responseFormat?.type === "json_object") features.push("json_object");
  if (request.messages.some((message) => hasImagePart(message.content))) features.push("vision");
  return features;
}

const REFUSED = String.raw`(?:is |are )?(?:not supported|unsupported|not enabled|not available|not allowed)`;
const DOES_NOT = String.raw`(?:does not|doesn't|do not|cannot|can't) (?:support|use|handle)`;

/** How providers word it (Ollama "… does not support tools", Mistral "Function calling is not enabled for this model", vLLM's tool-choice flags, Groq, OpenAI). */
const PATTERNS: Record<RequestFeature, RegExp[]> = {
  tools: [
    new RegExp(String.raw`${DOES_NOT} (?:tools?|tool use|tool calls?|tool calling|function calls?|function calling|functions)`, "i"),
    new RegExp(String.raw`\b(?:tools?|tool use|tool_use|tool calls?|tool calling|tool_choice|function calls?|function calling|functions?)\b[^.]{0,60}?\b${REFUSED}`, "i"),
    /tool choice requires --enable-auto-tool-choice/i,
  ],
  json_schema: [
    new RegExp(String.raw`${DOES_NOT} (?:structured outputs?|json[_ ]schema|response[_ ]schema|response_format)`, "i"),
    new RegExp(String.raw`\b(?:structured outputs?|json[_ ]schema|response[_ ]schema|response_format)\b[^.]{0,60}?\b${REFUSED}`, "i"),
  ],
  vision: [
    new RegExp(String.raw`${DOES_NOT} (?:images?|image inputs?|vision|multimodal|image_url)`, "i"),
    new RegExp(String.raw`\b(?:images?|image inputs?|vision|image_url|multimodal)\b[^.]{0,60}?\b(?:${REFUSED}|is only supported by certain models)`, "i"),
  ],
  json_object: [
    new RegExp(String.raw`${DOES_NOT} (?:json mode|json_object|response_format)`, "i"),
    new RegExp(String.raw`\b(?:json mode|json_object|response_format)\b[^.]{0,60}?\b${REFUSED}`, "i"),
  ],
};

/**
 * The feature a provider's refusal says the deployment lacks, among those the request used; undefined
 * when the refusal is about something else (a bad argument is the caller's problem, not the deployment's).
 */
export function rejectedFeature(error: ProviderError, used: readonly RequestFeature[]): RequestFeature | undefined {
  if (error.kind !== "bad_request" || used.length === 0) return undefined;
  return used.find((feature) => PATTERNS[feature].some((pattern) => pattern.test(error.message)));
}

/**
 * What deployments refused, remembered per deployment for the life of the process (in memory, per
 * instance): the pre-call check routes later requests needing that feature elsewhere.
 */
export interface FeatureRejections {
  remember(deploymentId: string, feature: RequestFeature): void;
  /** Whether the deployment refused any of these features before. */
  refused(deploymentId: string, features: readonly RequestFeature[]): boolean;
  /** The features a deployment refused, for status reports. */
  of(deploymentId: string): RequestFeature[];
}

export function createFeatureRejections(): FeatureRejections {
  const byDeployment = new Map<string, Set<RequestFeature>>();
  return {
    remember(deploymentId, feature) {
      let set = byDeployment.get(deploymentId);
      if (!set) byDeployment.set(deploymentId, (set = new Set()));
      set.add(feature);
    },
    refused(deploymentId, features) {
      const set = byDeployment.get(deploymentId);
      return set !== undefined && features.some((f) => set.has(f));
    },
    of: (deploymentId) => [...(byDeployment.get(deploymentId) ?? [])],
  };
}
