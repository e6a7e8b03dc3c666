import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ProviderErrorKind } from "../../../core/index.js";
import { classifyGeminiError } from "./classify-gemini-error.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

describe("classifyGeminiError", () => {
  // Every row of WIRE §4.5's table, with §10.3 for the key errors.
  it.each<[string, number, ProviderErrorKind, boolean, string, string]>([
    ["error-400-api-key-invalid.json", 400, "auth", false, "API_KEY_INVALID", "API key not valid"],
    ["error-400-invalid-argument.json", 400, "bad_request", false, "INVALID_ARGUMENT", "temperature"],
    ["error-400-context-window.json", 400, "context_window", false, "INVALID_ARGUMENT", "input token count"],
    ["error-400-failed-precondition.json", 400, "auth", false, "FAILED_PRECONDITION", "User location"],
    ["error-403-permission-denied.json", 403, "auth", false, "PERMISSION_DENIED", "unregistered callers"],
    ["error-404-not-found.json", 404, "not_found", false, "NOT_FOUND", "is not found"],
    ["error-429-rate-limit.json", 429, "rate_limit", true, "RESOURCE_EXHAUSTED", "exceeded your current quota"],
    ["error-429-daily-quota.json", 429, "quota", false, "RESOURCE_EXHAUSTED", "exceeded your current quota"],
    ["error-500-internal.json", 500, "server", true, "INTERNAL", "internal error"],
    ["error-503-unavailable.json", 503, "overloaded", true, "UNAVAILABLE", "overloaded"],
    ["error-504-deadline-exceeded.json", 504, "timeout", true, "DEADLINE_EXCEEDED", "Deadline expired"],
  ])("%s (%d) is %s", (name, status, kind, retryable, code, message) => {
    const error = classifyGeminiError({ provider: "gemini", status, headers: {}, bodyText: fixture(name) });
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.provider).toBe("gemini");
    expect(error.message).toContain(message);
  });

  it("reads the retry hint from RetryInfo.retryDelay, fractional seconds too", () => {
    expect(classifyGeminiError({ provider: "g", status: 429, bodyText: fixture("error-429-rate-limit.json") }).retryAfterMs).toBe(13_000);
    const daily = classifyGeminiError({ provider: "g", status: 429, bodyText: fixture("error-429-daily-quota.json") });
    expect(daily.retryAfterMs).toBe(41_500);
    const tiny = '{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"slow down","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"0.01s"}]}}';
    expect(classifyGeminiError({ provider: "g", status: 429, bodyText: tiny }).retryAfterMs).toBe(10);
  });

  it("falls back to a retry-after header when the body has no RetryInfo", () => {
    const body = '{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"slow down"}}';
    expect(classifyGeminiError({ provider: "g", status: 429, headers: { "retry-after": "3" }, bodyText: body }).retryAfterMs).toBe(3000);
    expect(classifyGeminiError({ provider: "g", status: 429, headers: {}, bodyText: body }).retryAfterMs).toBeUndefined();
  });

  it("classifies an unparsable body by status and keeps a snippet of it", () => {
    const html = `<html><body><h1>502 Bad Gateway</h1>${"<p>filler</p>".repeat(100)}</body></html>`;
    const error = classifyGeminiError({ provider: "gemini", status: 502, bodyText: html });
    expect(error.kind).toBe("server");
    expect(error.message.startsWith("HTTP 502: <html><body><h1>502 Bad Gateway</h1>")).toBe(true);
    expect(error.message.length).toBeLessThan(400);
    expect(classifyGeminiError({ provider: "gemini", status: 503, bodyText: "" }).message).toBe("HTTP 503");
    expect(classifyGeminiError({ provider: "gemini", status: 401, bodyText: "" }).kind).toBe("auth");
  });

  it("reads an error inside a list, as the non-SSE stream endpoint sends it", () => {
    const error = classifyGeminiError({ provider: "g", status: 404, bodyText: `[${fixture("error-404-not-found.json")}]` });
    expect(error.kind).toBe("not_found");
    expect(error.code).toBe("NOT_FOUND");
  });

  it("classifies an error inside a 200 stream by its status name, else its code", () => {
    const classify = (error: object) => classifyGeminiError({ provider: "g", body: { error } });
    expect(classify({ code: 429, message: "busy", status: "RESOURCE_EXHAUSTED" }).kind).toBe("rate_limit");
    expect(classify({ code: 503, message: "overloaded", status: "UNAVAILABLE" }).kind).toBe("overloaded");
    expect(classify({ code: 500, message: "boom" }).kind).toBe("server");
    expect(classify({ code: 400, message: "The input token count (9) exceeds the maximum number of tokens allowed (8)." }).kind).toBe(
      "context_window",
    );
    const error = classify({ code: 500, message: "boom", status: "INTERNAL" });
    expect(error.status).toBeUndefined();
    expect(error.message).toBe("boom");
    expect(classifyGeminiError({ provider: "g", body: { error: {} } }).kind).toBe("server");
  });
});
