import { readHeader, type HttpHeaders } from "./read-header.js";

/** Hints beyond this are ignored, as the OpenAI SDK does: the router's own backoff is saner than a long wait. */
const MAX_RETRY_AFTER_MS = 60_000;

const inRange = (ms: number): number | undefined =>
  Number.isFinite(ms) && ms >= 0 && ms <= MAX_RETRY_AFTER_MS ? ms : undefined;

/**
 * How long the provider asks us to wait, in ms: `retry-after-ms` (float ms) first, else
 * `retry-after` (seconds, or an HTTP-date). Values outside 0–60 s give undefined.
 */
export function parseRetryAfter(headers: HttpHeaders, now: () => number = Date.now): number | undefined {
  const msHeader = readHeader(headers, "retry-after-ms")?.trim();
  if (msHeader) {
    const ms = inRange(Number(msHeader));
    if (ms !== undefined) return ms;
  }
  const header = readHeader(headers, "retry-after")?.trim();
  if (!header) return undefined;
  const seconds = Number(header);
  if (!Number.isNaN(seconds)) return inRange(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : inRange(Math.max(0, date - now()));
}
