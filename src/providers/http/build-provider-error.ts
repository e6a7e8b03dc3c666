import { ProviderError, type ProviderErrorKind } from "../../core/index.js";
import { parseRetryAfter } from "./parse-retry-after.js";
import { readHeader, type HttpHeaders } from "./read-header.js";

export interface BuildProviderErrorInput {
  provider: string;
  kind: ProviderErrorKind;
  message: string;
  /** Absent for an error inside a 200 stream. */
  status?: number;
  code?: string;
  /** The response's headers: `retry-after(-ms)` gives the retry hint unless `retryAfterMs` is given. */
  headers?: HttpHeaders;
  /** A retry hint the provider gave elsewhere (in its body); it wins over the headers. */
  retryAfterMs?: number;
  now?: () => number;
  /** Let `x-should-retry: true|false` override the kind's retryability, as OpenAI's and Anthropic's SDKs do. */
  honourShouldRetry?: boolean;
}

/**
 * The tail every classifier shares once it has decided the kind and the message: read the retry
 * hint and, where the provider sends one, the `x-should-retry` override, and leave out what is
 * unknown, so errors from every provider carry the same fields in the same way.
 */
export function buildProviderError(input: BuildProviderErrorInput): ProviderError {
  const { provider, kind, message, status, code, headers } = input;
  const retryAfterMs = input.retryAfterMs ?? (headers !== undefined ? parseRetryAfter(headers, input.now) : undefined);
  const shouldRetry = input.honourShouldRetry === true && headers !== undefined ? readHeader(headers, "x-should-retry") : undefined;
  return new ProviderError({
    kind,
    provider,
    message,
    ...(status !== undefined ? { status } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(shouldRetry === "true" ? { retryable: true } : shouldRetry === "false" ? { retryable: false } : {}),
  });
}
