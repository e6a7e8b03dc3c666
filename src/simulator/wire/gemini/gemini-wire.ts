import { encodeGeminiGarbageResponse, encodeGeminiResponse } from "../../../providers/gemini/wire/encode-gemini-response.js";
import { encodeGeminiStream } from "../../../providers/gemini/wire/encode-gemini-stream.js";
import type { WireFormat, WireRoute } from "../wire-format.js";
import {
  geminiError,
  geminiInternal,
  geminiInvalidArgument,
  geminiInvalidKey,
  geminiMissingKey,
  geminiResourceExhausted,
  geminiUnavailable,
} from "./gemini-error.js";
import { geminiAnswer } from "./gemini-answer.js";
import { parseGeminiRequest } from "./parse-gemini-request.js";

const DEFAULT_RETRY_AFTER_MS = 1000;

/** `alt=sse` asks for SSE; without it the API streams one JSON array (WIRE §4.4). */
const isGeminiSse = (route: WireRoute): boolean => /(?:^|&)alt=sse(?:&|$)/.test(route.query);
const NO_HEADERS: Readonly<Record<string, string>> = {};

/** The key from `x-goog-api-key`, else the legacy `?key=` query parameter (WIRE §4.1). */
function apiKeyOf(header: string | string[] | undefined, query: string): string | undefined {
  if (typeof header === "string") return header;
  return query === "" ? undefined : (new URLSearchParams(query).get("key") ?? undefined);
}

/**
 * Gemini generateContent (WIRE §4): `POST /v1beta/models/{model}:generateContent` and
 * `:streamGenerateContent?alt=sse`, through the Gemini codec (`src/providers/gemini/wire/`). No rate-limit
 * headers: the retry hint is RetryInfo in the body.
 */
export const geminiWire: WireFormat = {
  authorize(headers, route, apiKey) {
    if (apiKey === undefined) return undefined;
    const key = apiKeyOf(headers["x-goog-api-key"], route.query);
    if (key === undefined) return geminiMissingKey();
    return key === apiKey ? undefined : geminiInvalidKey();
  },
  profileNotFound: (profile) =>
    geminiError(
      404,
      "NOT_FOUND",
      `models/${profile} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
    ),
  invalidJson: () => geminiInvalidArgument("Invalid JSON payload received. Unexpected token."),
  parse: parseGeminiRequest,
  failure(kind, { model, profile, limits }) {
    if (kind === "serverError") return geminiInternal();
    if (kind === "unavailable") return geminiUnavailable();
    return geminiResourceExhausted(model, limits.requests, profile.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS);
  },
  successHeaders: () => NO_HEADERS,
  bodyContentType: "application/json; charset=UTF-8",
  renderBody: (plan, { request }) => encodeGeminiResponse(geminiAnswer(plan, request.choices)),
  garbageBody: encodeGeminiGarbageResponse,
  streamContentType: (route) => (isGeminiSse(route) ? "text/event-stream" : "application/json; charset=UTF-8"),
  renderStream: (plan, { route, lineEnding }) => encodeGeminiStream(geminiAnswer(plan), { sse: isGeminiSse(route), lineEnding }),
  garbageEvent: ({ route, lineEnding }) => (isGeminiSse(route) ? `data: {not json${lineEnding}${lineEnding}` : ",\r\n{not json"),
  // A bare JSON error inside the stream, as the SDK expects it (WIRE §4.4, §10.6).
  errorEvent: ({ route, lineEnding }) => {
    const error = geminiUnavailable().body;
    return isGeminiSse(route) ? `${error}${lineEnding}${lineEnding}` : `,\r\n${error}]`;
  },
};
