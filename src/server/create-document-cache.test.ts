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

  it("answers the text parsed last from where it is, without losing the order of the others", () => {
    const cache = createDocumentCache(specifiedRules, { maxDocuments: 2 });
    const a = cache.parse("{ hello }");
    const b = cache.parse("{ other }");
    expect(cache.parse("{ other }")).toBe(b); // already the most recent
    expect(cache.parse(["{ oth", "er }"].join(""))).toBe(b); // an equal text in another string
    expect(cache.parse("{ hello }")).toBe(a); // a is now the most recent
    expect(cache.parse("{ hello }")).toBe(a);
    cache.parse("{ hello other }"); // evicts b, the least recently used
    expect(cache.parse("{ other }")).not.toBe(b);
    expect(cache.parse("{ hello }")).not.toBe(a); // evicted by { other } just now
  });

  it("keeps nothing at maxDocuments 0, not even the text parsed last", () => {
    const cache = createDocumentCache(specifiedRules, { maxDocuments: 0 });
    const first = cache.parse("{ hello }");
    expect(cache.parse("{ hello }")).not.toBe(first);
  });
});

describe("persisted queries in the document cache", () => {
  it("finds a registered text by hash, pinned ones always, and drops the least recently used past the size bound", () => {
    const cache = createDocumentCache(specifiedRules, { maxPersistedChars: 20, pinned: new Map([["pinned", "{ hello }"]]) });
    expect(cache.persisted("pinned")).toBe("{ hello }");
    expect(cache.persisted("a")).toBeUndefined();
    cache.persist("a", "{ hello other }"); // 15 characters
    expect(cache.persisted("a")).toBe("{ hello other }");
    cache.persist("b", "{ other }"); // 24 in all: a goes
    expect(cache.persisted("a")).toBeUndefined();
    expect(cache.persisted("b")).toBe("{ other }");
    cache.persist("pinned", "{ something else }");
    expect(cache.persisted("pinned")).toBe("{ hello }");
    cache.persist("huge", "x".repeat(21));
    expect(cache.persisted("huge")).toBeUndefined();
    expect(cache.persisted("b")).toBe("{ other }");
  });
});
