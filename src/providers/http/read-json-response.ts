import { ProviderError } from "../../core/index.js";
import type { HttpResponse } from "./create-http-client.js";
import { parseJsonSafe } from "./parse-json-safe.js";

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
  const text = await response.text();
  const parsed = parseJsonSafe(text);
  if (parsed.ok) return parsed.value;
  throw new ProviderError({
    kind: "invalid_response",
    provider: options.provider,
    status: response.status,
    message: `${options.what} body is not JSON: ${text.slice(0, SNIPPET_CHARS)}`,
    cause: parsed.error,
  });
}
