import { describe, expect, it } from "vitest";
import { buildProviderError } from "./build-provider-error.js";

const base = { provider: "p", kind: "server", message: "boom" } as const;

describe("buildProviderError", () => {
  it("leaves out what is unknown and takes retryability from the kind", () => {
    const error = buildProviderError({ ...base, status: undefined, code: undefined });
    expect([error.kind, error.provider, error.message, error.status, error.code, error.retryAfterMs]).toEqual([
      "server",
      "p",
      "boom",
      undefined,
      undefined,
      undefined,
    ]);
    expect(error.retryable).toBe(true);
  });

  it("keeps status and code", () => {
    const error = buildProviderError({ ...base, kind: "bad_request", status: 400, code: "invalid_request_error" });
    expect([error.status, error.code, error.retryable]).toEqual([400, "invalid_request_error", false]);
  });

  it("reads the retry hint from the headers, with the given clock", () => {
    const now = () => Date.parse("2026-01-01T00:00:00Z");
    const headers = { "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" };
    expect(buildProviderError({ ...base, headers, now }).retryAfterMs).toBe(5000);
    expect(buildProviderError({ ...base, headers: { "retry-after-ms": "250" } }).retryAfterMs).toBe(250);
  });

  it("prefers a hint given directly over the headers", () => {
    expect(buildProviderError({ ...base, headers: { "retry-after": "9" }, retryAfterMs: 1200 }).retryAfterMs).toBe(1200);
  });

  it("honours x-should-retry only when asked to", () => {
    const no = { "x-should-retry": "false" };
    const yes = { "x-should-retry": "true" };
    expect(buildProviderError({ ...base, headers: no, honourShouldRetry: true }).retryable).toBe(false);
    expect(buildProviderError({ ...base, kind: "bad_request", headers: yes, honourShouldRetry: true }).retryable).toBe(true);
    expect(buildProviderError({ ...base, headers: no }).retryable).toBe(true);
    expect(buildProviderError({ ...base, headers: { "x-should-retry": "maybe" }, honourShouldRetry: true }).retryable).toBe(true);
  });
});
