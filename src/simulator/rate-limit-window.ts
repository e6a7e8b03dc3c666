import { formatGoDuration } from "./format-go-duration.js";

export interface RateLimitWindow {
  /** Counts a served request and its tokens, then returns the x-ratelimit-* headers for `limits`. */
  take(limits: RateLimits, requests: number, tokens: number): Record<string, string>;
}

export interface RateLimits {
  requests: number;
  tokens: number;
}

const WINDOW_MS = 60_000;

/**
 * A fixed one-minute window per profile. It only reports headroom in the headers; it never
 * refuses a request (the `rateLimit` failure knob does that), so clients can be tested on
 * reading the headers without the simulator throttling a benchmark.
 */
export function createRateLimitWindow(now: () => number): RateLimitWindow {
  let windowStart = Number.NEGATIVE_INFINITY;
  let usedRequests = 0;
  let usedTokens = 0;
  return {
    take(limits, requests, tokens) {
      const at = now();
      if (at - windowStart >= WINDOW_MS) {
        windowStart = at;
        usedRequests = 0;
        usedTokens = 0;
      }
      usedRequests += requests;
      usedTokens += tokens;
      const reset = formatGoDuration(windowStart + WINDOW_MS - at);
      return {
        "x-ratelimit-limit-requests": String(limits.requests),
        "x-ratelimit-limit-tokens": String(limits.tokens),
        "x-ratelimit-remaining-requests": String(Math.max(0, limits.requests - usedRequests)),
        "x-ratelimit-remaining-tokens": String(Math.max(0, limits.tokens - usedTokens)),
        "x-ratelimit-reset-requests": usedRequests === 0 ? "0s" : reset,
        "x-ratelimit-reset-tokens": usedTokens === 0 ? "0s" : reset,
      };
    },
  };
}
