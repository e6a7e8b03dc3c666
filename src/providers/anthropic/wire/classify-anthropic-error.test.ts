import { describe, expect, it } from "vitest";
import { classifyAnthropicError } from "./classify-anthropic-error.js";

const body = (type: string, message: string) => JSON.stringify({ type: "error", error: { type, message } });

describe("classifyAnthropicError", () => {
  it.each<[number, string, string, string, boolean]>([
    [400, "invalid_request_error", "messages: roles must alternate", "bad_request", false],
    [400, "invalid_request_error", "prompt is too long: 208432 tokens > 200000 maximum", "context_window", false],
    [400, "invalid_request_error", "Your credit balance is too low to access the Anthropic API.", "quota", false],
    [400, "invalid_request_error", "Output blocked by content filtering policy", "content_policy", false],
    [401, "authentication_error", "invalid x-api-key", "auth", false],
    [402, "billing_error", "Payment required", "quota", false],
    [403, "permission_error", "no access", "auth", false],
    [404, "not_found_error", "model: claude-x", "not_found", false],
    [413, "request_too_large", "Request exceeds the maximum allowed number of bytes.", "bad_request", false],
    [429, "rate_limit_error", "This request would exceed the rate limit", "rate_limit", true],
    [500, "api_error", "Internal server error", "server", true],
    [504, "timeout_error", "Request timeout", "timeout", true],
    [529, "overloaded_error", "Overloaded", "overloaded", true],
  ])("HTTP %d %s (%s) → %s", (status, type, message, kind, retryable) => {
    const error = classifyAnthropicError({ provider: "anthropic", status, bodyText: body(type, message) });
    expect(error).toMatchObject({ kind, retryable, status, code: type, message, provider: "anthropic" });
  });

  it.each<[string, string]>([
    ["overloaded_error", "overloaded"],
    ["rate_limit_error", "rate_limit"],
    ["api_error", "server"],
    ["authentication_error", "auth"],
    ["not_found_error", "not_found"],
    ["invalid_request_error", "bad_request"],
    ["billing_error", "quota"],
    ["some_new_error", "server"],
  ])("a stream error of type %s (no status) → %s", (type, kind) => {
    const error = classifyAnthropicError({ provider: "anthropic", body: JSON.parse(body(type, "x")) });
    expect(error.kind).toBe(kind);
    expect(error.status).toBeUndefined();
    expect(error.code).toBe(type);
  });

  it("reads retry-after and honours x-should-retry", () => {
    const limited = classifyAnthropicError({
      provider: "anthropic",
      status: 429,
      headers: { "retry-after": "7" },
      bodyText: body("rate_limit_error", "slow down"),
    });
    expect(limited.retryAfterMs).toBe(7000);
    const noRetry = classifyAnthropicError({
      provider: "anthropic",
      status: 529,
      headers: { "x-should-retry": "false" },
      bodyText: body("overloaded_error", "Overloaded"),
    });
    expect(noRetry.kind).toBe("overloaded");
    expect(noRetry.retryable).toBe(false);
  });

  it("classifies a body that is not JSON by status and keeps a snippet", () => {
    const error = classifyAnthropicError({
      provider: "anthropic",
      status: 413,
      bodyText: "<html><head><title>413 Request Entity Too Large</title></head></html>",
    });
    expect(error.kind).toBe("bad_request");
    expect(error.code).toBeUndefined();
    expect(error.message).toBe("HTTP 413: <html><head><title>413 Request Entity Too Large</title></head></html>");
    expect(classifyAnthropicError({ provider: "anthropic", status: 502, bodyText: "" }).message).toBe("HTTP 502");
  });
});
