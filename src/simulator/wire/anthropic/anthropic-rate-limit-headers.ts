import type { RateLimitState } from "../../rate-limit-window.js";

/**
 * `anthropic-ratelimit-*` (WIRE §3.7): resets are RFC 3339 timestamps to the second, token
 * headroom is rounded to the nearest thousand. A 429 reports no requests left.
 */
export function anthropicRateLimitHeaders(state: RateLimitState, refused: boolean): Record<string, string> {
  return {
    "anthropic-ratelimit-requests-limit": String(state.limits.requests),
    "anthropic-ratelimit-requests-remaining": String(refused ? 0 : state.remainingRequests),
    "anthropic-ratelimit-requests-reset": timestamp(state.atMs + state.requestsResetMs),
    "anthropic-ratelimit-tokens-limit": String(state.limits.tokens),
    "anthropic-ratelimit-tokens-remaining": String(Math.round(state.remainingTokens / 1000) * 1000),
    "anthropic-ratelimit-tokens-reset": timestamp(state.atMs + state.tokensResetMs),
  };
}

function timestamp(ms: number): string {
  return `${new Date(Math.ceil(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
