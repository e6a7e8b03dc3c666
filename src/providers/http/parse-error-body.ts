import { parseJsonSafe } from "./parse-json-safe.js";

export interface ErrorBodySource {
  /** The error body, already parsed (an error event inside a stream). */
  body?: unknown;
  /** The error body as text (an HTTP error response); it may not be JSON at all. */
  bodyText?: string;
}

/**
 * Classifiers take an error either parsed (from inside a stream) or as text (from an HTTP error
 * response). This gives them the parsed form either way; text that is not JSON gives undefined,
 * and the classifier falls back on the status and a snippet.
 */
export function parseErrorBody(source: ErrorBodySource): unknown {
  if (source.body !== undefined || source.bodyText === undefined) return source.body;
  const parsed = parseJsonSafe(source.bodyText);
  return parsed.ok ? parsed.value : undefined;
}
