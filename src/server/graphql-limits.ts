/**
 * What one GraphQL client may send, on HTTP and graphql-ws alike (config `server.graphql`,
 * README "Limits"). Each refusal names its limit in `extensions.limit`.
 */
export interface GraphQLLimits {
  /** Fields nested deeper than this (a root field is depth 1; introspection not counted) are refused. */
  maxDepth: number;
  /** Every field node costs 1 and lists under a page argument multiply (src/server/complexity-limit-rule.ts). */
  maxComplexity: number;
  /** A `query` text longer than this in UTF-8 is refused before it is parsed. */
  maxDocumentBytes: number;
  /** graphql-js's parser stops after this many lexical tokens (the `maxTokens` parse option). */
  maxTokens: number;
  /** Operations running at once on one WebSocket; one more is answered with an error message, the socket stays open. */
  maxOperationsPerSocket: number;
}

/**
 * Depth and complexity: room for the deepest real query (calls → edges → node → key → team →
 * keys → …) with margin, and a page of 200 calls with every field. 64 KB and 10,000 tokens are
 * 30–60 times the introspection query (1.9 KB, 163 tokens); validating a document at both caps
 * takes tens of milliseconds, where 700,000 `__typename` aliases took seconds.
 */
export const DEFAULT_GRAPHQL_LIMITS: GraphQLLimits = {
  maxDepth: 12,
  maxComplexity: 10_000,
  maxDocumentBytes: 64 * 1024,
  maxTokens: 10_000,
  maxOperationsPerSocket: 100,
};
