import { describe, expect, it } from "vitest";
import { readOpenAIRateLimitHeaders } from "./read-openai-rate-limit-headers.js";

describe("readOpenAIRateLimitHeaders", () => {
  it("reads the six x-ratelimit headers (WIRE §1.7)", () => {
    expect(
      readOpenAIRateLimitHeaders({
        "x-ratelimit-limit-requests": "60",
        "x-ratelimit-limit-tokens": "150000",
        "x-ratelimit-remaining-requests": "59",
        "x-ratelimit-remaining-tokens": "149984",
        "x-ratelimit-reset-requests": "1s",
        "x-ratelimit-reset-tokens": "6m0s",
      }),
    ).toEqual({
      limitRequests: 60,
      limitTokens: 150_000,
      remainingRequests: 59,
      remainingTokens: 149_984,
      resetRequestsMs: 1000,
      resetTokensMs: 360_000,
    });
  });

  it("keeps only the headers present and valid", () => {
    expect(
      readOpenAIRateLimitHeaders({
        "x-ratelimit-remaining-tokens": "42",
        "x-ratelimit-limit-tokens": "lots",
        "x-ratelimit-reset-tokens": "8.64s",
      }),
    ).toEqual({ remainingTokens: 42, resetTokensMs: 8640 });
  });

  it("reads each answer's own reset durations, the same text again or a new one", () => {
    const resets = (requests: string, tokens: string) =>
      readOpenAIRateLimitHeaders({ "x-ratelimit-reset-requests": requests, "x-ratelimit-reset-tokens": tokens });
    expect(resets("1s", "6m0s")).toEqual({ resetRequestsMs: 1000, resetTokensMs: 360_000 });
    expect(resets(["1", "s"].join(""), "6m0s")).toEqual({ resetRequestsMs: 1000, resetTokensMs: 360_000 });
    expect(resets("120ms", "1s")).toEqual({ resetRequestsMs: 120, resetTokensMs: 1000 });
    expect(resets("soon", "1s")).toEqual({ resetTokensMs: 1000 });
    expect(resets("120ms", "later")).toEqual({ resetRequestsMs: 120 });
  });

  it("gives undefined when there are none", () => {
    expect(readOpenAIRateLimitHeaders({ "content-type": "application/json" })).toBeUndefined();
  });
});
