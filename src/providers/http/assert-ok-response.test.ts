import { describe, expect, it } from "vitest";
import { ProviderError } from "../../core/index.js";
import { ERROR_BODY_LIMIT_BYTES, assertOkResponse, type ErrorResponse } from "./assert-ok-response.js";
import { fakeHttpResponse } from "./testing/fake-http-response.js";

const classifyAsServer = (seen: ErrorResponse[]) => (failure: ErrorResponse) => {
  seen.push(failure);
  return new ProviderError({ kind: "server", provider: "p", status: failure.status, message: failure.bodyText });
};

describe("assertOkResponse", () => {
  it.each([200, 201, 204, 299])("lets %i through without reading the body or classifying", async (status) => {
    const seen: ErrorResponse[] = [];
    const response = fakeHttpResponse({ status, bodyText: "{}" });
    await expect(assertOkResponse(response, classifyAsServer(seen))).resolves.toBeUndefined();
    expect(seen).toEqual([]);
    expect(response.textLimits).toEqual([]);
  });

  it.each([199, 300, 400, 429, 500])("throws what the classifier makes of %i", async (status) => {
    const seen: ErrorResponse[] = [];
    const headers = { "retry-after": "3" };
    const response = fakeHttpResponse({ status, headers, bodyText: "nope" });
    const error = await assertOkResponse(response, classifyAsServer(seen)).catch((caught: unknown) => caught);
    expect(ProviderError.isInstance(error) && error.message).toBe("nope");
    expect(seen).toEqual([{ status, headers, bodyText: "nope" }]);
  });

  it("reads the error body with a bound", async () => {
    const response = fakeHttpResponse({ status: 500, bodyText: "x".repeat(ERROR_BODY_LIMIT_BYTES + 10) });
    const seen: ErrorResponse[] = [];
    await expect(assertOkResponse(response, classifyAsServer(seen))).rejects.toThrow();
    expect(response.textLimits).toEqual([ERROR_BODY_LIMIT_BYTES]);
    expect(seen[0]?.bodyText.length).toBe(ERROR_BODY_LIMIT_BYTES);
  });
});
