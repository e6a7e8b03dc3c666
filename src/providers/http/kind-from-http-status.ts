import type { ProviderErrorKind } from "../../core/index.js";

/**
 * What an HTTP status says about a failure when nothing else does, as every provider reads it:
 * 401/403 auth, 404 not_found, 408 timeout, 429 rate_limit, 503 overloaded, other 5xx server,
 * other 4xx bad_request, anything else an invalid_response. `except` gives the statuses a
 * provider means otherwise (Anthropic's 529 overloaded, OpenRouter's 402 out of credits, …).
 */
export function kindFromHttpStatus(status: number, except?: Readonly<Partial<Record<number, ProviderErrorKind>>>): ProviderErrorKind {
  const own = except?.[status];
  if (own !== undefined) return own;
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  if (status === 408) return "timeout";
  if (status === 429) return "rate_limit";
  if (status === 503) return "overloaded";
  if (status >= 500) return "server";
  if (status >= 400) return "bad_request";
  return "invalid_response";
}
