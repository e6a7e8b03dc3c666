import { readHeader, type HttpHeaders } from "../../http/read-header.js";
import type { RateLimitHeadroom } from "../../spec.js";

interface Bucket {
  limit?: number;
  remaining?: number;
  resetMs?: number;
}

const readCount = (headers: HttpHeaders, name: string): number | undefined => {
  const text = readHeader(headers, name);
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
};

/** `*-reset` is an RFC 3339 instant; the router wants how long until then. */
const readReset = (headers: HttpHeaders, name: string, now: () => number): number | undefined => {
  const text = readHeader(headers, name);
  if (text === undefined || text.trim() === "") return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
};

const readBucket = (headers: HttpHeaders, prefix: string, now: () => number): Bucket | undefined => {
  const bucket: Bucket = {};
  const limit = readCount(headers, `${prefix}-limit`);
  const remaining = readCount(headers, `${prefix}-remaining`);
  const resetMs = readReset(headers, `${prefix}-reset`, now);
  if (limit !== undefined) bucket.limit = limit;
  if (remaining !== undefined) bucket.remaining = remaining;
  if (resetMs !== undefined) bucket.resetMs = resetMs;
  return limit === undefined && remaining === undefined && resetMs === undefined ? undefined : bucket;
};

const share = (bucket: Bucket): number =>
  bucket.limit !== undefined && bucket.remaining !== undefined && bucket.limit > 0 ? bucket.remaining / bucket.limit : 1;

/**
 * The token bucket that binds first. `anthropic-ratelimit-tokens-*` already is the most
 * restrictive limit in effect; without it, of the input and output buckets the one with the
 * smaller share left, since that is the one a request will run into.
 */
const tightestTokens = (headers: HttpHeaders, now: () => number): Bucket | undefined => {
  const combined = readBucket(headers, "anthropic-ratelimit-tokens", now);
  if (combined !== undefined) return combined;
  const input = readBucket(headers, "anthropic-ratelimit-input-tokens", now);
  const output = readBucket(headers, "anthropic-ratelimit-output-tokens", now);
  if (input === undefined || output === undefined) return input ?? output;
  return share(output) < share(input) ? output : input;
};

/**
 * Anthropic's `anthropic-ratelimit-*` headers (WIRE §3.7) as headroom for the router; undefined
 * when the response carries none of them. `now` is injectable so resets can be tested.
 */
export function readAnthropicRateLimitHeaders(
  headers: HttpHeaders,
  now: () => number = Date.now,
): RateLimitHeadroom | undefined {
  const requests = readBucket(headers, "anthropic-ratelimit-requests", now);
  const tokens = tightestTokens(headers, now);
  if (requests === undefined && tokens === undefined) return undefined;
  const headroom: RateLimitHeadroom = {};
  if (requests?.limit !== undefined) headroom.limitRequests = requests.limit;
  if (requests?.remaining !== undefined) headroom.remainingRequests = requests.remaining;
  if (requests?.resetMs !== undefined) headroom.resetRequestsMs = requests.resetMs;
  if (tokens?.limit !== undefined) headroom.limitTokens = tokens.limit;
  if (tokens?.remaining !== undefined) headroom.remainingTokens = tokens.remaining;
  if (tokens?.resetMs !== undefined) headroom.resetTokensMs = tokens.resetMs;
  return headroom;
}
