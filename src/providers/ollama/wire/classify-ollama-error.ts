import type { ProviderError, ProviderErrorKind } from "../../../core/index.js";
import { buildProviderError } from "../../http/build-provider-error.js";
import type { ClassifierInput } from "../../http/classifier-input.js";
import { fallbackErrorMessage } from "../../http/fallback-error-message.js";
import { kindFromHttpStatus } from "../../http/kind-from-http-status.js";
import { parseErrorBody } from "../../http/parse-error-body.js";

/** An Ollama error: an HTTP error response, or an `{"error":…}` line inside a 200 stream (no status). */
export type OllamaErrorInput = ClassifierInput;

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


/**
 * An Ollama error (`{"error":"<text>"}` with 400/404/429/500/502, or such a line inside a 200
 * stream) as a ProviderError, per WIRE §6.1 and §8.4. Ollama sends no codes, so a missing
 * model is recognised by its message wherever it appears; the rest goes by status, and an
 * error line inside a stream is a server error.
 */
export function classifyOllamaError(input: OllamaErrorInput): ProviderError {
  const { provider, status, headers } = input;
  const body = parseErrorBody(input);
  const bodyMessage = readMessage(body);
  // Ollama answers 503 "server busy" when its request queue is full; an error line inside a stream has no status.
  const kind: ProviderErrorKind =
    bodyMessage !== undefined && MODEL_NOT_FOUND.test(bodyMessage)
      ? "not_found"
      : status === undefined
        ? "server"
        : kindFromHttpStatus(status);
  const message =
    bodyMessage !== undefined && bodyMessage !== ""
      ? bodyMessage
      : fallbackErrorMessage(status === undefined ? "error line in stream" : `HTTP ${status}`, input.bodyText);
  return buildProviderError({ kind, provider, message, status, headers, now: input.now });
}
