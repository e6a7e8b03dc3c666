import { encodeGeminiError } from "../../../providers/gemini/wire/encode-gemini-error.js";
import { SIMULATED, type WireResponse } from "../wire-format.js";

/** An error response as google.rpc.Status JSON (the Gemini codec's `encodeGeminiError`). */
export function geminiError(code: number, status: string, message: string, details: readonly string[] = []): WireResponse {
  return { status: code, body: encodeGeminiError(code, status, message, details) };
}

export const geminiInvalidArgument = (message: string): WireResponse => geminiError(400, "INVALID_ARGUMENT", message);

const INVALID_KEY_MESSAGE = "API key not valid. Please pass a valid API key.";

/** A wrong key is 400 INVALID_ARGUMENT with reason API_KEY_INVALID, not 401 (WIRE §4.5, §10.3). */
export const geminiInvalidKey = (): WireResponse =>
  geminiError(400, "INVALID_ARGUMENT", INVALID_KEY_MESSAGE, [
    `{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}`,
    `{"@type":"type.googleapis.com/google.rpc.LocalizedMessage","locale":"en-US","message":"${INVALID_KEY_MESSAGE}"}`,
  ]);

/** A missing key is 403 PERMISSION_DENIED (WIRE §10.3). */
export const geminiMissingKey = (): WireResponse =>
  geminiError(
    403,
    "PERMISSION_DENIED",
    "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  );

/** 429 with the quota that ran out and the RetryInfo delay clients wait for (WIRE §4.5). */
export function geminiResourceExhausted(model: string, requestsPerMinute: number, retryAfterMs: number): WireResponse {
  return geminiError(
    429,
    "RESOURCE_EXHAUSTED",
    SIMULATED + "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
    [
      `{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_requests",` +
        `"quotaId":"GenerateRequestsPerMinutePerProjectPerModel","quotaDimensions":{"model":${JSON.stringify(model)},"location":"global"},"quotaValue":"${requestsPerMinute}"}]}`,
      `{"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more about Gemini API quotas","url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]}`,
      `{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"${retryAfterMs / 1000}s"}`,
    ],
  );
}

export const geminiInternal = (): WireResponse =>
  geminiError(500, "INTERNAL", SIMULATED + "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting");

export const geminiUnavailable = (): WireResponse => geminiError(503, "UNAVAILABLE", SIMULATED + "The model is overloaded. Please try again later.");
