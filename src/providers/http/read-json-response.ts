import { ProviderError } from "../../core/index.js";
import type { HttpResponse } from "./create-http-client.js";

/** How much of an unparsable body the error message shows. */
const SNIPPET_CHARS = 200;

export interface ReadJsonResponseOptions {
  provider: string;
  /** What the body should have been, for the message: `chat completion`, `Converse`, … */
  what: string;
}

/**
 * Reads a successful, non-stream body as JSON. A 2xx that is not JSON (a proxy's HTML page, a
 * truncated body) is the provider's fault, not the caller's, so it fails as `invalid_response`
 * with the start of the text to show what arrived instead.
 */
export async function readJsonResponse(response: HttpResponse, options: ReadJsonResponseOptions): Promise<unknown> {
  return parseJsonBody(await response.text(), response.status, options);
}

/**
 * readJsonResponse once the text is read, for callers that await `response.text()` themselves: one
 * async layer (a promise and a microtask) less per call on the hot path.
 */
export function parseJsonBody(text: string, status: number, options: ReadJsonResponseOptions): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProviderError({
      kind: "invalid_response",
      provider: options.provider,
      status,
      message: `${options.what} body is not JSON: ${text.slice(0, SNIPPET_CHARS)}`,
      cause: error,
    });
  }
}
