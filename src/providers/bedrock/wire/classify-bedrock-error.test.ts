import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ProviderErrorKind } from "../../../core/index.js";
import { classifyBedrockError } from "./classify-bedrock-error.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

const errorType = (name: string) => ({ "x-amzn-errortype": `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/` });

describe("classifyBedrockError", () => {
  // Every row of WIRE §5.4's table, as the service sends it: the name in x-amzn-ErrorType.
  it.each<[string, number, string, ProviderErrorKind, boolean, string]>([
    ["error-400-validation.json", 400, "ValidationException", "bad_request", false, "Malformed input request"],
    ["error-400-input-too-long.json", 400, "ValidationException", "context_window", false, "Input is too long"],
    ["error-403-access-denied.json", 403, "AccessDeniedException", "auth", false, "don't have access"],
    ["error-403-unrecognized-client.json", 403, "UnrecognizedClientException", "auth", false, "security token included"],
    ["error-404-resource-not-found.json", 404, "ResourceNotFoundException", "not_found", false, "Could not resolve"],
    ["error-408-model-timeout.json", 408, "ModelTimeoutException", "timeout", true, "timed out"],
    ["error-424-model-error.json", 424, "ModelErrorException", "server", true, "Received 500"],
    ["error-429-throttling.json", 429, "ThrottlingException", "rate_limit", true, "Too many requests"],
    ["error-429-model-not-ready.json", 429, "ModelNotReadyException", "overloaded", true, "not ready"],
    ["error-500-internal.json", 500, "InternalServerException", "server", true, "unexpected error"],
    ["error-503-service-unavailable.json", 503, "ServiceUnavailableException", "overloaded", true, "unable to process"],
  ])("%s (%d %s) is %s", (name, status, type, kind, retryable, message) => {
    const error = classifyBedrockError({ provider: "bedrock", status, headers: errorType(type), bodyText: fixture(name) });
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(status);
    expect(error.code).toBe(type);
    expect(error.provider).toBe("bedrock");
    expect(error.message).toContain(message);
  });

  it("recognises over-long input in the wordings of the models behind Bedrock", () => {
    for (const message of [
      "The model returned the following errors: prompt is too long: 210000 tokens > 200000 maximum",
      "This model's maximum context length is 8192 tokens. Please reduce the length of the prompt.",
    ]) {
      const error = classifyBedrockError({ provider: "b", status: 400, headers: errorType("ValidationException"), body: { message } });
      expect(error.kind).toBe("context_window");
    }
    // Only a ValidationException is about the input; a throttle that mentions tokens stays a throttle.
    const throttled = classifyBedrockError({ provider: "b", status: 429, body: { message: "Too many input tokens per minute", __type: "ThrottlingException" } });
    expect(throttled.kind).toBe("rate_limit");
  });

  it("reads the name from the header first, then the body's code, then __type after '#'", () => {
    const header = classifyBedrockError({
      provider: "b",
      status: 400,
      headers: errorType("ThrottlingException"),
      bodyText: '{"message":"x","__type":"ValidationException"}',
    });
    expect(header.kind).toBe("rate_limit");
    const code = classifyBedrockError({ provider: "b", status: 400, bodyText: '{"message":"x","code":"ResourceNotFoundException","__type":"ValidationException"}' });
    expect(code.kind).toBe("not_found");
    const type = classifyBedrockError({ provider: "b", status: 400, bodyText: '{"message":"expired","__type":"com.amazon.coral.service#ExpiredTokenException"}' });
    expect(type.kind).toBe("auth");
    expect(type.code).toBe("ExpiredTokenException");
  });

  it.each<[number, ProviderErrorKind]>([
    [400, "bad_request"],
    [401, "auth"],
    [403, "auth"],
    [404, "not_found"],
    [408, "timeout"],
    [424, "server"],
    [429, "rate_limit"],
    [500, "server"],
    [502, "server"],
    [503, "overloaded"],
  ])("status %d without a name is %s", (status, kind) => {
    expect(classifyBedrockError({ provider: "b", status, bodyText: "" }).kind).toBe(kind);
  });

  it("classifies an unparsable body by status and keeps a snippet of it", () => {
    const html = `<html><body><h1>502 Bad Gateway</h1>${"<p>filler</p>".repeat(100)}</body></html>`;
    const error = classifyBedrockError({ provider: "bedrock", status: 502, bodyText: html });
    expect(error.kind).toBe("server");
    expect(error.message.startsWith("HTTP 502: <html><body><h1>502 Bad Gateway</h1>")).toBe(true);
    expect(error.message.length).toBeLessThan(400);
    expect(classifyBedrockError({ provider: "bedrock", status: 503, bodyText: "" }).message).toBe("HTTP 503");
  });

  it("classifies a stream's exception frame by its lower-camel :exception-type", () => {
    const classify = (errorType: string, message = "boom") => classifyBedrockError({ provider: "b", errorType, bodyText: JSON.stringify({ message }) });
    expect(classify("throttlingException").kind).toBe("rate_limit");
    expect(classify("serviceUnavailableException").kind).toBe("overloaded");
    expect(classify("internalServerException").kind).toBe("server");
    expect(classify("validationException", "Input is too long for requested model.").kind).toBe("context_window");
    const stream = classifyBedrockError({
      provider: "b",
      errorType: "modelStreamErrorException",
      bodyText: '{"originalStatusCode":500,"originalMessage":"upstream model failed"}',
    });
    expect(stream.kind).toBe("server");
    expect(stream.code).toBe("ModelStreamErrorException");
    expect(stream.message).toBe("upstream model failed");
    expect(stream.status).toBeUndefined();
    expect(classifyBedrockError({ provider: "b", errorType: "somethingNew" }).kind).toBe("server");
  });

  it("keeps a retry hint if one is sent", () => {
    const error = classifyBedrockError({ provider: "b", status: 429, headers: { ...errorType("ThrottlingException"), "retry-after": "3" }, bodyText: "{}" });
    expect(error.retryAfterMs).toBe(3000);
  });
});
