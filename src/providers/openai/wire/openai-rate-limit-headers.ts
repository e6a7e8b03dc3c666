import { formatGoDuration } from "./format-go-duration.js";
import type { RateLimitState } from "../../../simulator/rate-limit-window.js";

/** `x-ratelimit-*` with Go-style reset durations (WIRE §1.7); Azure sends the same names. */
export function openAIRateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "x-ratelimit-limit-requests": String(state.limits.requests),
    "x-ratelimit-limit-tokens": String(state.limits.tokens),
    "x-ratelimit-remaining-requests": String(state.remainingRequests),
    "x-ratelimit-remaining-tokens": String(state.remainingTokens),
    "x-ratelimit-reset-requests": formatGoDuration(state.requestsResetMs),
    "x-ratelimit-reset-tokens": formatGoDuration(state.tokensResetMs),
  };
}
