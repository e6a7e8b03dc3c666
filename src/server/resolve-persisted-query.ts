import { GraphQLError } from "graphql";
import type { DocumentCache } from "./create-document-cache.js";
import { queryHash } from "./safelist.js";

export interface ResolvedQuery {
  query: string;
  hash: string;
  /** The client sent a hash with its text: register it once the text has validated. */
  register: boolean;
}

/** Answered 200 with `cache-control: private, no-cache, must-revalidate`, as Apollo Server does, so clients send the text. */
export const PERSISTED_QUERY_NOT_FOUND = (): GraphQLError => new GraphQLError("PersistedQueryNotFound", { extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } });

/**
 * The automatic persisted query protocol (`extensions.persistedQuery: { version: 1, sha256Hash }`)
 * for the operations Apollo Server does not run itself — subscriptions streamed over HTTP — with
 * Apollo's answers: a hash alone that is not registered → PersistedQueryNotFound; a hash with a
 * text → the text, if it is the hash's. Without the extension the text is taken as it is.
 * Returns the refusal (and its HTTP status) otherwise.
 */
export function resolvePersistedQuery(documents: DocumentCache, query: unknown, extensions: unknown): ResolvedQuery | { error: GraphQLError; status: number } {
  const persisted = (extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | null | undefined)?.persistedQuery;
  if (persisted === undefined || persisted === null) {
    if (typeof query !== "string" || query === "") {
      return { status: 400, error: new GraphQLError("GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.", { extensions: { code: "BAD_REQUEST" } }) };
    }
    return { query, hash: queryHash(query), register: false };
  }
  if (persisted.version !== 1) return { status: 400, error: new GraphQLError("Unsupported persisted query version", { extensions: { code: "BAD_REQUEST" } }) };
  const hash = persisted.sha256Hash;
  if (typeof hash !== "string" || !/^[0-9a-f]{64}$/.test(hash)) {
    return { status: 400, error: new GraphQLError("extensions.persistedQuery.sha256Hash: expected 64 lowercase hex digits", { extensions: { code: "BAD_USER_INPUT" } }) };
  }
  if (query === undefined || query === null) {
    const known = documents.persisted(hash);
    return known === undefined ? { status: 200, error: PERSISTED_QUERY_NOT_FOUND() } : { query: known, hash, register: false };
  }
  if (typeof query !== "string") return { status: 400, error: new GraphQLError("query: expected a string", { extensions: { code: "BAD_REQUEST" } }) };
  const actual = queryHash(query);
  if (actual !== hash) {
    return { status: 400, error: new GraphQLError(`provided sha does not match query: the SHA-256 of the query is ${actual}, not ${hash}`, { extensions: { code: "BAD_REQUEST" } }) };
  }
  return { query, hash, register: true };
}
