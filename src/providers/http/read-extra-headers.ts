/**
 * A deployment's `extra.headers` setting as headers to send: names lower-cased (the HTTP client
 * and the call's own headers use lower case, so later ones replace rather than duplicate them)
 * and anything that is not a string dropped, since `extra` is untyped configuration.
 */
export function readExtraHeaders(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) if (typeof item === "string") out[key.toLowerCase()] = item;
  }
  return out;
}
