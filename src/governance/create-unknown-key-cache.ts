export interface UnknownKeyCache {
  /** The secret's hash was looked up and not found, less than the TTL ago. */
  has(hash: string): boolean;
  add(hash: string): void;
  /** A key with this hash exists now (created here, or read from another instance's change). */
  forget(hash: string): void;
  readonly size: number;
}

/**
 * Hashes of `sk-sy-…` secrets that matched no key, so a client retrying a wrong or made-up key does not
 * cost a database query each time. Bounded: past `maxEntries` the oldest entry goes; entries expire after
 * `ttlMs`. A key created later is never hidden by it for long: the directory forgets the hash as soon as it
 * learns the key (locally at once, from other instances with its refresh), and the TTL caps the rest.
 */
export function createUnknownKeyCache(options: { ttlMs: number; maxEntries: number; now: () => number }): UnknownKeyCache {
  // Insertion order is age order: the first entry is the oldest.
  const expiries = new Map<string, number>();
  return {
    has(hash) {
      const expiresAt = expiries.get(hash);
      if (expiresAt === undefined) return false;
      if (expiresAt > options.now()) return true;
      expiries.delete(hash);
      return false;
    },
    add(hash) {
      expiries.delete(hash);
      while (expiries.size >= options.maxEntries) expiries.delete(expiries.keys().next().value!);
      expiries.set(hash, options.now() + options.ttlMs);
    },
    forget(hash) {
      expiries.delete(hash);
    },
    get size() {
      return expiries.size;
    },
  };
}
