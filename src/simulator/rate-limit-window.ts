export interface RateLimitWindow {
  /** Counts a served request and its tokens, then reports the window against `limits`. */
  take(limits: RateLimits, requests: number, tokens: number): RateLimitState;
}

export interface RateLimits {
  requests: number;
  tokens: number;
}

/** The window as each wire format renders it into its own headers. */
export interface RateLimitState {
  limits: RateLimits;
  remainingRequests: number;
  remainingTokens: number;
  /** Until the window resets; 0 while nothing of that kind has been used in it. */
  requestsResetMs: number;
  tokensResetMs: number;
  /** The clock reading the state was taken at (for formats that send reset timestamps). */
  atMs: number;
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
      const resetMs = windowStart + WINDOW_MS - at;
      return {
        limits,
        remainingRequests: Math.max(0, limits.requests - usedRequests),
        remainingTokens: Math.max(0, limits.tokens - usedTokens),
        requestsResetMs: usedRequests === 0 ? 0 : resetMs,
        tokensResetMs: usedTokens === 0 ? 0 : resetMs,
        atMs: at,
      };
    },
  };
}
