export type WireName = "openai" | "azure" | "anthropic" | "gemini" | "bedrock" | "ollama";

export interface MatchedRoute {
  endpoint: WireName | "models";
  /** Undefined for the unprefixed routes, which use the default profile. */
  profile: string | undefined;
  /** The model named by the path (Gemini, Bedrock) or the Azure deployment. */
  model?: string;
  /** Set where the path decides streaming (Gemini, Bedrock). */
  stream?: boolean;
}

const CHAT = "/v1/chat/completions";
const MODELS = "/v1/models";
const MESSAGES = "/v1/messages";
const OLLAMA_CHAT = "/api/chat";
const PROFILE_PREFIX = "/p/";
const GEMINI_PREFIXES = ["/v1beta/models/", "/v1/models/"];
const BEDROCK_PREFIX = "/model/";
const AZURE_PREFIX = "/openai/deployments/";
const AZURE_SUFFIX = "/chat/completions";

/**
 * `/…` uses the default profile; `/p/{profile}/…` a named one. The fixed paths are compared
 * first, so the OpenAI route costs what it did before the other formats existed.
 */
export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  const split = splitProfile(path);
  if (split === undefined) return undefined;
  const { profile, rest } = split;
  if (method === "GET") return rest === MODELS ? { endpoint: "models", profile } : undefined;
  if (method !== "POST") return undefined;
  if (rest === CHAT) return { endpoint: "openai", profile };
  if (rest === MESSAGES) return { endpoint: "anthropic", profile };
  if (rest === OLLAMA_CHAT) return { endpoint: "ollama", profile };
  return matchGemini(rest, profile) ?? matchBedrock(rest, profile) ?? matchAzure(rest, profile);
}

/** `/v1beta/models/{model}:generateContent` and `:streamGenerateContent`. */
function matchGemini(rest: string, profile: string | undefined): MatchedRoute | undefined {
  const prefix = GEMINI_PREFIXES.find((p) => rest.startsWith(p));
  if (prefix === undefined) return undefined;
  const target = rest.slice(prefix.length);
  const colon = target.lastIndexOf(":");
  if (colon <= 0) return undefined;
  const method = target.slice(colon + 1);
  if (method !== "generateContent" && method !== "streamGenerateContent") return undefined;
  const model = decode(target.slice(0, colon));
  if (model === undefined) return undefined;
  return { endpoint: "gemini", profile, model, stream: method === "streamGenerateContent" };
}

/** `/model/{url-encoded model id}/converse` and `/converse-stream`. */
function matchBedrock(rest: string, profile: string | undefined): MatchedRoute | undefined {
  if (!rest.startsWith(BEDROCK_PREFIX)) return undefined;
  const slash = rest.lastIndexOf("/");
  const operation = rest.slice(slash + 1);
  if (slash <= BEDROCK_PREFIX.length || (operation !== "converse" && operation !== "converse-stream")) return undefined;
  const model = decode(rest.slice(BEDROCK_PREFIX.length, slash));
  if (model === undefined) return undefined;
  return { endpoint: "bedrock", profile, model, stream: operation === "converse-stream" };
}

/** `/openai/deployments/{deployment}/chat/completions`. */
function matchAzure(rest: string, profile: string | undefined): MatchedRoute | undefined {
  if (!rest.startsWith(AZURE_PREFIX) || !rest.endsWith(AZURE_SUFFIX)) return undefined;
  const deployment = rest.slice(AZURE_PREFIX.length, rest.length - AZURE_SUFFIX.length);
  if (deployment === "" || deployment.includes("/")) return undefined;
  const model = decode(deployment);
  return model === undefined ? undefined : { endpoint: "azure", profile, model };
}

/** `/p/{profile}/rest` → the profile and the rest; `/rest` → no profile. Undefined for a malformed prefix. */
export function splitProfile(path: string): { profile: string | undefined; rest: string } | undefined {
  if (!path.startsWith(PROFILE_PREFIX)) return { profile: undefined, rest: path };
  const slash = path.indexOf("/", PROFILE_PREFIX.length);
  if (slash < 0) return undefined;
  const profile = decode(path.slice(PROFILE_PREFIX.length, slash));
  return profile === undefined ? undefined : { profile, rest: path.slice(slash) };
}

export function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
