import { encodeAnthropicRateLimitHeaders } from "../../../providers/anthropic/wire/encode-anthropic-rate-limit-headers.js";
import type { RateLimitState } from "../../rate-limit-window.js";

/** The window's state as `anthropic-ratelimit-*` headers; a 429 reports no requests left. */
export function anthropicRateLimitHeaders(state: RateLimitState, refused: boolean): Record<string, string> {
  return encodeAnthropicRateLimitHeaders(
    {
      limitRequests: state.limits.requests,
      remainingRequests: refused ? 0 : state.remainingRequests,
      resetRequestsMs: state.requestsResetMs,
      limitTokens: state.limits.tokens,
      remainingTokens: state.remainingTokens,
      resetTokensMs: state.tokensResetMs,
    },
    state.atMs,
  );
}
