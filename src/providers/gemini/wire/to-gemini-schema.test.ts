import { describe, expect, it } from "vitest";
import { toGeminiSchema } from "./to-gemini-schema.js";

describe("toGeminiSchema", () => {
  it("keeps the keywords Gemini knows and drops the rest, recursively", () => {
    expect(
      toGeminiSchema({
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        additionalProperties: false,
        properties: {
          city: { type: "string", description: "City", minLength: 1, format: "uri", $comment: "x" },
          when: { type: "string", format: "date-time" },
          count: { type: "integer", format: "int32", minimum: 0 },
          tags: { type: "array", items: { type: "string", enum: ["a", "b"] }, maxItems: 3 },
        },
        required: ["city"],
      }),
    ).toEqual({
      type: "object",
      properties: {
        city: { type: "string", description: "City", minLength: 1 },
        when: { type: "string", format: "date-time" },
        count: { type: "integer", format: "int32", minimum: 0 },
        tags: { type: "array", items: { type: "string", enum: ["a", "b"] }, maxItems: 3 },
      },
      required: ["city"],
    });
  });

  it("turns nullable unions and const into Gemini's spelling", () => {
    expect(
      toGeminiSchema({
        type: "object",
        properties: {
          a: { type: ["string", "null"] },
          b: { anyOf: [{ type: "number" }, { type: "null" }] },
          c: { const: "fixed" },
          d: { oneOf: [{ type: "string" }, { type: "integer" }] },
        },
      }),
    ).toEqual({
      type: "object",
      properties: {
        a: { type: "string", nullable: true },
        b: { type: "number", nullable: true },
        c: { enum: ["fixed"] },
        d: { anyOf: [{ type: "string" }, { type: "integer" }] },
      },
    });
  });

  it("gives undefined for no schema or an object without properties", () => {
    expect(toGeminiSchema(undefined)).toBeUndefined();
    expect(toGeminiSchema({ type: "object", properties: {} })).toBeUndefined();
    expect(toGeminiSchema({ type: "OBJECT" })).toBeUndefined();
  });
});
