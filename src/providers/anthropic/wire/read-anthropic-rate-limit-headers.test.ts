import { describe, expect, it } from "vitest";
import { readAnthropicRateLimitHeaders } from "./read-anthropic-rate-limit-headers.js";

const NOW = Date.parse("2025-08-21T12:40:00Z");
const now = () => NOW;

describe("readAnthropicRateLimitHeaders", () => {
  it("reads requests and tokens, with resets as ms from now", () => {
    expect(
      readAnthropicRateLimitHeaders(
        {
          "anthropic-ratelimit-requests-limit": "50",
          "anthropic-ratelimit-requests-remaining": "49",
          "anthropic-ratelimit-requests-reset": "2025-08-21T12:40:01Z",
          "anthropic-ratelimit-tokens-limit": "80000",
          "anthropic-ratelimit-tokens-remaining": "79000",
          "anthropic-ratelimit-tokens-reset": "2025-08-21T12:40:59.500Z",
          "anthropic-ratelimit-input-tokens-remaining": "1000",
        },
        now,
      ),
    ).toEqual({
      limitRequests: 50,
      remainingRequests: 49,
      resetRequestsMs: 1000,
      limitTokens: 80_000,
      remainingTokens: 79_000,
      resetTokensMs: 59_500,
    });
  });

  it("without the combined token headers, takes the input or output bucket with less left", () => {
    const headers = {
      "anthropic-ratelimit-input-tokens-limit": "400000",
      "anthropic-ratelimit-input-tokens-remaining": "300000",
      "anthropic-ratelimit-input-tokens-reset": "2025-08-21T12:40:10Z",
      "anthropic-ratelimit-output-tokens-limit": "80000",
      "anthropic-ratelimit-output-tokens-remaining": "8000",
      "anthropic-ratelimit-output-tokens-reset": "2025-08-21T12:40:30Z",
    };
    expect(readAnthropicRateLimitHeaders(headers, now)).toEqual({ limitTokens: 80_000, remainingTokens: 8000, resetTokensMs: 30_000 });
    expect(
      readAnthropicRateLimitHeaders({ ...headers, "anthropic-ratelimit-output-tokens-remaining": "79000" }, now),
    ).toEqual({ limitTokens: 400_000, remainingTokens: 300_000, resetTokensMs: 10_000 });
  });

  it("clamps a reset in the past to 0, skips unreadable values and returns undefined without headers", () => {
    expect(
      readAnthropicRateLimitHeaders(
        {
          "anthropic-ratelimit-requests-reset": "2025-08-21T12:39:00Z",
          "anthropic-ratelimit-requests-limit": "lots",
          "anthropic-ratelimit-tokens-reset": "soon",
        },
        now,
      ),
    ).toEqual({ resetRequestsMs: 0 });
    expect(readAnthropicRateLimitHeaders({ "x-ratelimit-limit-requests": "60" }, now)).toBeUndefined();
  });
});
