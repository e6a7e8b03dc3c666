import { type DocumentNode, type GraphQLError, type GraphQLSchema, type ParseOptions, type ValidationRule, parse, validate } from "graphql";

export interface DocumentCache {
  /** graphql's parse, remembering the document of each query text (parse errors are not remembered). */
  parse(query: string): DocumentNode;
  /** graphql's validate with the given rules, remembering the outcome per parsed document and schema. */
  validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[];
  /** The query text registered under a SHA-256 (lowercase hex): a safelisted operation's, or one registered by a client. */
  persisted(hash: string): string | undefined;
  /** Registers a query text under its SHA-256; call only once the text parsed and validated (the caller checks the hash). */
  persist(hash: string, query: string): void;
}

export interface DocumentCacheOptions {
  /** Query texts whose parse and validation outcome is kept (default 1,000). */
  maxDocuments?: number;
  /** graphql-js parse options (maxTokens) as Apollo gets them. */
  parseOptions?: ParseOptions;
  /** Registered query texts kept, in UTF-16 units summed (default 8 Mi, about 8 MB of ASCII). */
  maxPersistedChars?: number;
  /** Always found, never evicted (the safelist's operations by hash). */
  pinned?: ReadonlyMap<string, string>;
}

/**
 * The server's one store of GraphQL documents. Parse and validation results for graphql-ws and
 * the streamed operations over HTTP, which would otherwise parse and validate (every rule, the
 * query limits included) on each subscribe — most of a stream's set-up cost when clients send the
 * same few documents; Apollo keeps its own parsed-document store for the queries it runs. And the
 * automatic persisted queries of every door: query texts by SHA-256, which Apollo's own APQ reads
 * and writes for HTTP queries and mutations (src/server/persisted-query-store.ts), and the streams
 * read and write directly. Both bounded: at most `maxDocuments` parsed texts and
 * `maxPersistedChars` of registered text, least recently used first out. A registered text is at
 * most `maxDocumentBytes` (it was refused before it could be registered) and has validated.
 */
export function createDocumentCache(rules: readonly ValidationRule[], options: DocumentCacheOptions = {}): DocumentCache {
  const maxDocuments = options.maxDocuments ?? 1_000;
  const maxPersistedChars = options.maxPersistedChars ?? 8 * 1024 * 1024;
  const parseOptions = options.parseOptions ?? {};
  const pinned = options.pinned ?? new Map<string, string>();
  const documents = new Map<string, DocumentNode>();
  const outcomes = new WeakMap<DocumentNode, { schema: GraphQLSchema; errors: readonly GraphQLError[] }>();
  const registered = new Map<string, string>();
  let registeredChars = 0;
  // The text at the young end of `documents` and its document. A server's clients send the same few
  // texts, most often the one just before: that one is answered without moving it to where it already
  // is. The move (a delete and a set of a text that arrives as a new string every time) was ~0.5 µs of
  // a `complete` mutation, in process on this machine; the comparison of two equal texts is ~20 ns.
  let youngestQuery: string | undefined;
  let youngestDocument: DocumentNode | undefined;
  return {
    parse(query) {
      if (query === youngestQuery) return youngestDocument!;
      let document = documents.get(query);
      if (document !== undefined) {
        // Move to the young end.
        documents.delete(query);
        documents.set(query, document);
      } else {
        document = parse(query, parseOptions);
        documents.set(query, document);
        if (documents.size > maxDocuments) documents.delete(documents.keys().next().value!);
      }
      // Evicted at once when the cache holds nothing (maxDocuments 0).
      youngestQuery = documents.has(query) ? query : undefined;
      youngestDocument = document;
      return document;
    },
    validate(schema, document) {
      const known = outcomes.get(document);
      if (known !== undefined && known.schema === schema) return known.errors;
      const errors = validate(schema, document, rules);
      outcomes.set(document, { schema, errors });
      return errors;
    },
    persisted(hash) {
      const safelisted = pinned.get(hash);
      if (safelisted !== undefined) return safelisted;
      const query = registered.get(hash);
      if (query !== undefined) {
        registered.delete(hash);
        registered.set(hash, query);
      }
      return query;
    },
    persist(hash, query) {
      if (pinned.has(hash) || query.length > maxPersistedChars) return;
      const before = registered.get(hash);
      if (before !== undefined) {
        registered.delete(hash);
        registeredChars -= before.length;
      }
      registered.set(hash, query);
      registeredChars += query.length;
      for (const [oldest, text] of registered) {
        if (registeredChars <= maxPersistedChars) break;
        registered.delete(oldest);
        registeredChars -= text.length;
      }
    },
  };
}
