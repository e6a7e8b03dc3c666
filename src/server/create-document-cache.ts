import { type DocumentNode, type GraphQLError, type GraphQLSchema, type ParseOptions, type ValidationRule, parse, validate } from "graphql";

export interface DocumentCache {
  /** graphql's parse, remembering the document of each query text (parse errors are not remembered). */
  parse(query: string): DocumentNode;
  /** graphql's validate with the given rules, remembering the outcome per parsed document and schema. */
  validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[];
}

/**
 * Parse and validation results for graphql-ws operations, which would otherwise parse and
 * validate (every rule, the query limits included) on each subscribe — most of a stream's
 * set-up cost when clients send the same few documents. Apollo keeps its own store for HTTP.
 * Bounded: at most `maxDocuments` query texts, least recently used first out; `parseOptions`
 * (maxTokens) as Apollo gets them.
 */
export function createDocumentCache(rules: readonly ValidationRule[], maxDocuments = 1_000, parseOptions: ParseOptions = {}): DocumentCache {
  const documents = new Map<string, DocumentNode>();
  const outcomes = new WeakMap<DocumentNode, { schema: GraphQLSchema; errors: readonly GraphQLError[] }>();
  return {
    parse(query) {
      const known = documents.get(query);
      if (known !== undefined) {
        // Move to the young end.
        documents.delete(query);
        documents.set(query, known);
        return known;
      }
      const document = parse(query, parseOptions);
      documents.set(query, document);
      if (documents.size > maxDocuments) documents.delete(documents.keys().next().value!);
      return document;
    },
    validate(schema, document) {
      const known = outcomes.get(document);
      if (known !== undefined && known.schema === schema) return known.errors;
      const errors = validate(schema, document, rules);
      outcomes.set(document, { schema, errors });
      return errors;
    },
  };
}
