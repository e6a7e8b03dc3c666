import { ProviderError, type ProviderErrorKind } from "../../core/index.js";
import { parseJsonSafe } from "../http/parse-json-safe.js";
import { parseRetryAfter } from "../http/parse-retry-after.js";
import type { HttpHeaders } from "../http/read-header.js";

export interface OllamaErrorInput {
  provider: string;
  /** Absent for an `{"error":…}` line inside a 200 stream. */
  status?: number;
  headers?: HttpHeaders;
  /** The error body, already parsed. */
  body?: unknown;
  /** The error body as text, when it has not been parsed (it may not be JSON at all). */
  bodyText?: string;
  now?: () => number;
}

const SNIPPET_LENGTH = 300;

// `model "llama3" not found, try pulling it first` (404, and the same words inside a stream).
const MODEL_NOT_FOUND = /model ["'][^"']*["'] not found|not found, try pulling/i;

const readMessage = (body: unknown): string | undefined => {
  if (typeof body !== "object" || body === null) return undefined;
  const error = (body as Record<string, unknown>).error;
  if (typeof error === "string") return error;
  // A proxy in front of Ollama may answer in OpenAI's shape.
  if (typeof error === "object" && error !== null) {
    const message = (error as Record<string, unknown>).message;
    if (typeof message === "string") return message;
  }
  return undefined;
};

const kindFromStatus = (status: number | undefined): ProviderErrorKind => {
  if (status === undefined) return "server";
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  if (status === 408) return "timeout";
  if (status === 429) return "rate_limit";
  // Ollama answers 503 "server busy" when its request queue is full.
  if (status === 503) return "overloaded";
  if (status >= 500) return "server";
  if (status >= 400) return "bad_request";
  return "invalid_response";
};

const snippet = (text: string): string => {
  const trimmed = text.trim();
  return trimmed.length > SNIPPET_LENGTH ? `${trimmed.slice(0, SNIPPET_LENGTH)}…` : trimmed;
};

/**
 * An Ollama error (`{"error":"<text>"}` with 400/404/429/500/502, or such a line inside a 200
 * stream) as a ProviderError, per WIRE §6.1 and §8.4. Ollama sends no codes, so a missing
 * model is recognised by its message wherever it appears; the rest goes by status, and an
 * error line inside a stream is a server error.
 */
export function classifyOllamaError(input: OllamaErrorInput): ProviderError {
  const { provider, status, headers } = input;
  let body = input.body;
  if (body === undefined && input.bodyText !== undefined) {
    const parsed = parseJsonSafe(input.bodyText);
    if (parsed.ok) body = parsed.value;
  }
  let message = readMessage(body);
  const kind: ProviderErrorKind = message !== undefined && MODEL_NOT_FOUND.test(message) ? "not_found" : kindFromStatus(status);
  if (message === undefined || message === "") {
    const text = input.bodyText !== undefined ? snippet(input.bodyText) : "";
    const prefix = status === undefined ? "error line in stream" : `HTTP ${status}`;
    message = text === "" ? prefix : `${prefix}: ${text}`;
  }
  const retryAfterMs = headers !== undefined ? parseRetryAfter(headers, input.now) : undefined;
  return new ProviderError({
    kind,
    provider,
    message,
    ...(status !== undefined ? { status } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}
