/** Every field of a RateLimitHeadroom, as a server sending the headers knows them. */
export interface AnthropicRateLimits {
  limitRequests: number;
  remainingRequests: number;
  resetRequestsMs: number;
  limitTokens: number;
  remainingTokens: number;
  resetTokensMs: number;
}

/**
 * `anthropic-ratelimit-*` (WIRE §3.7), which `readAnthropicRateLimitHeaders` reads back: resets are
 * RFC 3339 timestamps to the second (rounded up from `nowMs` + the reset), token headroom is rounded
 * to the nearest thousand.
 */
export function encodeAnthropicRateLimitHeaders(limits: AnthropicRateLimits, nowMs: number): Record<string, string> {
  return {
    "anthropic-ratelimit-requests-limit": String(limits.limitRequests),
    "anthropic-ratelimit-requests-remaining": String(limits.remainingRequests),
    "anthropic-ratelimit-requests-reset": timestamp(nowMs + limits.resetRequestsMs),
    "anthropic-ratelimit-tokens-limit": String(limits.limitTokens),
    "anthropic-ratelimit-tokens-remaining": String(Math.round(limits.remainingTokens / 1000) * 1000),
    "anthropic-ratelimit-tokens-reset": timestamp(nowMs + limits.resetTokensMs),
  };
}

function timestamp(ms: number): string {
  return `${new Date(Math.ceil(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
