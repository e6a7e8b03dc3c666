/** 429s tell the client when to come back: `retry-after` in whole seconds (what SDKs read) and exact milliseconds. */
export function retryHeaders(details: Record<string, unknown>): Record<string, string> {
  const ms = details.retryAfterMs;
  if (typeof ms !== "number" || !Number.isFinite(ms)) return {};
  return { "retry-after": String(Math.max(1, Math.ceil(ms / 1000))), "retry-after-ms": String(Math.ceil(ms)) };
}
