import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ProviderErrorKind } from "../../../core/index.js";
import { classifyOpenAIError } from "./classify-openai-error.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

describe("classifyOpenAIError", () => {
  // Every row of WIRE §1.6's table.
  it.each<[string, number, string, ProviderErrorKind, boolean, string]>([
    ["error-400-context-length.json", 400, "context_length_exceeded", "context_window", false, "maximum context length is 8192"],
    ["error-400-unsupported-parameter.json", 400, "unsupported_parameter", "bad_request", false, "Unsupported parameter"],
    ["error-400-invalid-value.json", 400, "invalid_value", "bad_request", false, "Invalid value"],
    ["error-401-invalid-api-key.json", 401, "invalid_api_key", "auth", false, "Incorrect API key"],
    ["error-403-region.json", 403, "unsupported_country_region_territory", "auth", false, "Country, region"],
    ["error-404-model-not-found.json", 404, "model_not_found", "not_found", false, "does not exist"],
    ["error-429-rate-limit.json", 429, "rate_limit_exceeded", "rate_limit", true, "Rate limit reached"],
    ["error-429-insufficient-quota.json", 429, "insufficient_quota", "quota", false, "exceeded your current quota"],
    ["error-500-server.json", 500, "server_error", "server", true, "The server had an error"],
    ["error-503-overloaded.json", 503, "server_error", "overloaded", true, "currently overloaded"],
  ])("%s (%d) is %s / %s", (name, status, code, kind, retryable, message) => {
    const error = classifyOpenAIError({ provider: "openai", status, headers: {}, bodyText: fixture(name) });
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.provider).toBe("openai");
    expect(error.message).toContain(message);
  });

  it("a 400 with code null is a bad request", () => {
    const error = classifyOpenAIError({
      provider: "openai",
      status: 400,
      bodyText: '{"error":{"message":"\'messages\' must contain at least one item","type":"invalid_request_error","param":"messages","code":null}}',
    });
    expect(error.kind).toBe("bad_request");
    expect(error.code).toBe("invalid_request_error");
  });

  it.each<[number, ProviderErrorKind]>([
    [408, "timeout"],
    [409, "server"],
    [422, "bad_request"],
    [413, "bad_request"],
    [502, "server"],
    [504, "server"],
    [529, "overloaded"],
  ])("status %d alone is %s", (status, kind) => {
    expect(classifyOpenAIError({ provider: "x", status, bodyText: "" }).kind).toBe(kind);
  });

  it("reads the retry hint on a 429, preferring retry-after-ms", () => {
    const error = classifyOpenAIError({
      provider: "openai",
      status: 429,
      headers: { "retry-after": "2", "retry-after-ms": "644" },
      bodyText: fixture("error-429-rate-limit.json"),
    });
    expect(error.retryAfterMs).toBe(644);
    expect(classifyOpenAIError({ provider: "o", status: 429, headers: { "retry-after": "2" }, bodyText: "" }).retryAfterMs).toBe(2000);
  });

  it("lets x-should-retry override the kind's retryability", () => {
    const body = fixture("error-500-server.json");
    expect(classifyOpenAIError({ provider: "o", status: 500, headers: { "x-should-retry": "false" }, bodyText: body }).retryable).toBe(false);
    const quota = fixture("error-429-insufficient-quota.json");
    expect(classifyOpenAIError({ provider: "o", status: 429, headers: { "x-should-retry": "true" }, bodyText: quota }).retryable).toBe(true);
  });

  it("classifies an unparsable body by status and keeps a snippet of it", () => {
    const html = `<html><body><h1>502 Bad Gateway</h1>${"<p>filler</p>".repeat(100)}</body></html>`;
    const error = classifyOpenAIError({ provider: "openai", status: 502, bodyText: html });
    expect(error.kind).toBe("server");
    expect(error.message.startsWith("HTTP 502: <html><body><h1>502 Bad Gateway</h1>")).toBe(true);
    expect(error.message.length).toBeLessThan(400);
    expect(classifyOpenAIError({ provider: "openai", status: 503, bodyText: "" }).message).toBe("HTTP 503");
  });

  it("recognises content-policy errors (Azure's 400 content_filter, OpenAI's content_policy_violation)", () => {
    const azure = '{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI\'s content management policy.","type":null,"param":"prompt","code":"content_filter","status":400}}';
    expect(classifyOpenAIError({ provider: "azure", status: 400, bodyText: azure }).kind).toBe("content_policy");
    const openai = '{"error":{"message":"Your request was rejected as a result of our safety system.","type":"invalid_request_error","param":null,"code":"content_policy_violation"}}';
    expect(classifyOpenAIError({ provider: "openai", status: 400, bodyText: openai }).kind).toBe("content_policy");
  });

  it("reads the error shapes of OpenAI-compatible servers", () => {
    expect(classifyOpenAIError({ provider: "ollama", status: 404, bodyText: '{"error":"model \\"llama9\\" not found"}' }).message).toBe(
      'model "llama9" not found',
    );
    const vllm = '{"object":"error","message":"This model\'s maximum context length is 4096 tokens. However, you requested 5000 tokens.","type":"BadRequestError","param":null,"code":400}';
    const error = classifyOpenAIError({ provider: "vllm", status: 400, bodyText: vllm });
    expect(error.kind).toBe("context_window");
  });

  it("classifies an error sent inside a 200 stream by its type and code", () => {
    const classify = (error: object) => classifyOpenAIError({ provider: "o", body: { error } });
    expect(classify({ message: "The server had an error", type: "server_error", code: null }).kind).toBe("server");
    expect(classify({ message: "slow down", type: "tokens", code: "rate_limit_exceeded" }).kind).toBe("rate_limit");
    expect(classify({ message: "quota", type: "insufficient_quota", code: "insufficient_quota" }).kind).toBe("quota");
    expect(classify({ message: "too long", type: "invalid_request_error", code: "context_length_exceeded" }).kind).toBe("context_window");
    const error = classify({ message: "boom", type: "server_error", code: null });
    expect(error.status).toBeUndefined();
    expect(error.message).toBe("boom");
  });
});
