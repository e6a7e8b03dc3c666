import { describe, expect, it } from "vitest";
import { ProviderError } from "../../core/index.js";
import { readJsonResponse } from "./read-json-response.js";
import { fakeHttpResponse } from "./testing/fake-http-response.js";

describe("readJsonResponse", () => {
  it("returns the parsed body", async () => {
    const response = fakeHttpResponse({ bodyText: '{"id":"x","n":[1,2]}' });
    await expect(readJsonResponse(response, { provider: "p", what: "message" })).resolves.toEqual({ id: "x", n: [1, 2] });
  });

  it("fails a body that is not JSON as invalid_response, naming what was expected and showing its start", async () => {
    const page = `<html>${"x".repeat(300)}</html>`;
    const response = fakeHttpResponse({ status: 200, bodyText: page });
    const error = await readJsonResponse(response, { provider: "acme", what: "Converse" }).catch((caught: unknown) => caught);
    expect(ProviderError.isInstance(error)).toBe(true);
    if (!ProviderError.isInstance(error)) return;
    expect(error.kind).toBe("invalid_response");
    expect(error.provider).toBe("acme");
    expect(error.status).toBe(200);
    expect(error.message).toBe(`Converse body is not JSON: ${page.slice(0, 200)}`);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("reads the whole body, without a byte limit", async () => {
    const response = fakeHttpResponse({ bodyText: "[]" });
    await readJsonResponse(response, { provider: "p", what: "w" });
    expect(response.textLimits).toEqual([undefined]);
  });
});
