import type { DocumentCache } from "./create-document-cache.js";

/** The key-value shape Apollo Server's `persistedQueries.cache` takes (@apollo/utils.keyvaluecache). */
export interface PersistedQueryStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<boolean>;
}

/** Apollo prefixes the SHA-256 of each automatic persisted query with this. */
const APQ_PREFIX = "apq:";

/**
 * Apollo Server's automatic persisted queries (HTTP queries and mutations, POST and GET) kept in
 * the server's one document cache: a hash registered over HTTP is found by the streamed doors too,
 * and the safelist's operations are always found. Apollo registers a text only after it parsed
 * and validated under our limits.
 */
export function persistedQueryStore(documents: DocumentCache): PersistedQueryStore {
  const hashOf = (key: string) => (key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key);
  return {
    get: async (key) => documents.persisted(hashOf(key)),
    set: async (key, value) => documents.persist(hashOf(key), value),
    // Nothing deletes: entries leave least recently used first.
    delete: async () => false,
  };
}
