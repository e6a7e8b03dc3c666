/**
 * Deterministic randomness: every simulated answer and failure draw comes from a PRNG whose seed
 * is a hash of the simulator seed and the request's identity, so runs are reproducible even when
 * requests for different profiles interleave.
 */

export { createSeededRandom } from "../core/create-seeded-random.js";

/** FNV-1a over the parts, with a separator between parts so ("ab","c") and ("a","bc") differ. */
export function hashSeed(...parts: ReadonlyArray<string | number>): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    const text = typeof part === "number" ? String(part) : part;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= 0xff;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `length` characters from [A-Za-z0-9] (or the given alphabet), for ids like `call_…`. */
export function randomString(random: () => number, length: number, alphabet = ALPHANUMERIC): string {
  let text = "";
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}
