import { GraphQLError, buildSchema, specifiedRules, type ValidationRule } from "graphql";
import { describe, expect, it } from "vitest";
import { createDocumentCache } from "./create-document-cache.js";

const schema = buildSchema("type Query { hello: String, other: Int }");

describe("document cache", () => {
  it("parses a query text once and validates a document once per schema", () => {
    let validations = 0;
    const counting: ValidationRule = () => {
      validations += 1;
      return {};
    };
    const cache = createDocumentCache([...specifiedRules, counting]);
    const first = cache.parse("{ hello }");
    expect(cache.parse("{ hello }")).toBe(first);
    expect(cache.validate(schema, first)).toEqual([]);
    expect(cache.validate(schema, first)).toEqual([]);
    expect(validations).toBe(1);
    const otherSchema = buildSchema("type Query { hello: String }");
    cache.validate(otherSchema, first);
    expect(validations).toBe(2);
  });

  it("remembers validation errors and does not remember parse errors", () => {
    const cache = createDocumentCache(specifiedRules);
    const bad = cache.parse("{ missing }");
    const errors = cache.validate(schema, bad);
    expect(errors[0]).toBeInstanceOf(GraphQLError);
    expect(cache.validate(schema, bad)).toBe(errors);
    expect(() => cache.parse("{ hello")).toThrow(GraphQLError);
    expect(() => cache.parse("{ hello")).toThrow(GraphQLError);
  });

  it("keeps at most maxDocuments texts, dropping the least recently used", () => {
    const cache = createDocumentCache(specifiedRules, { maxDocuments: 2 });
    const a = cache.parse("{ hello }");
    const b = cache.parse("{ other }");
    expect(cache.parse("{ hello }")).toBe(a); // a is now the most recent
    cache.parse("{ hello other }"); // evicts b
    expect(cache.parse("{ hello }")).toBe(a);
    expect(cache.parse("{ other }")).not.toBe(b);
  });
});
