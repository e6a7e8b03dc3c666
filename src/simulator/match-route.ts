export interface MatchedRoute {
  endpoint: "chat" | "models";
  /** Undefined for the unprefixed routes, which use the default profile. */
  profile: string | undefined;
}

const CHAT = "/v1/chat/completions";
const MODELS = "/v1/models";
const PROFILE_PREFIX = "/p/";

/** `/v1/…` uses the default profile; `/p/{profile}/v1/…` a named one. */
export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  let profile: string | undefined;
  let rest = path;
  if (path.startsWith(PROFILE_PREFIX)) {
    const slash = path.indexOf("/", PROFILE_PREFIX.length);
    if (slash < 0) return undefined;
    try {
      profile = decodeURIComponent(path.slice(PROFILE_PREFIX.length, slash));
    } catch {
      return undefined;
    }
    rest = path.slice(slash);
  }
  if (rest === CHAT && method === "POST") return { endpoint: "chat", profile };
  if (rest === MODELS && method === "GET") return { endpoint: "models", profile };
  return undefined;
}
