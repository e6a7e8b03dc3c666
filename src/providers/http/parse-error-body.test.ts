import { describe, expect, it } from "vitest";
import { parseErrorBody } from "./parse-error-body.js";

describe("parseErrorBody", () => {
  it("prefers an already parsed body", () => {
    expect(parseErrorBody({ body: { a: 1 }, bodyText: '{"b":2}' })).toEqual({ a: 1 });
  });

  it("parses the text when no body is given", () => {
    expect(parseErrorBody({ bodyText: '{"error":{"message":"m"}}' })).toEqual({ error: { message: "m" } });
  });

  it("gives undefined for text that is not JSON, and for nothing at all", () => {
    expect(parseErrorBody({ bodyText: "<html>502</html>" })).toBeUndefined();
    expect(parseErrorBody({})).toBeUndefined();
  });
});
