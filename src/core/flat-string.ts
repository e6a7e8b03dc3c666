/** Written by flatString so that the engine cannot drop the read as unused. */
let sink = 0;

/**
 * The same string, flattened in place. Node builds some strings it hands out by concatenation
 * (`crypto.randomUUID()`, a response's header block): V8 keeps those as a rope, a tree of one 32-byte
 * node per piece (~490 bytes for a UUID, ~1.2 kB for an SSE answer's headers), until something reads
 * them as a whole. Reading one character flattens the rope into one string (~70 bytes for a UUID) and
 * lets the pieces go: worth it for a string that stays as long as a stream is open.
 */
export function flatString(text: string): string {
  if (text.length > 0) sink ^= text.charCodeAt(0);
  return text;
}
