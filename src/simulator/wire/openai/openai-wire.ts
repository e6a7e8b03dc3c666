import type { IncomingHttpHeaders } from "node:http";
import type { CompletionPlan } from "../../plan-completion.js";
import type { WireFormat } from "../wire-format.js";
import { invalidApiKey, invalidJson, modelNotFound } from "../../../providers/openai/wire/openai-error.js";
import { openAIRateLimitHeaders } from "../../../providers/openai/wire/openai-rate-limit-headers.js";
import { parseOpenAIRequest } from "../../../providers/openai/wire/parse-openai-request.js";
import { renderOpenAIBody } from "../../../providers/openai/wire/render-openai-body.js";
import { renderOpenAIStream } from "../../../providers/openai/wire/render-openai-stream.js";
import { engineOverloaded, rateLimited, serverError } from "./openai-failures.js";

const DEFAULT_RETRY_AFTER_MS = 1000;

/** Refusal unless `Authorization: Bearer <apiKey>` (when a key is configured). */
export function authorizeBearer(headers: IncomingHttpHeaders, apiKey: string | undefined) {
  return apiKey === undefined || headers.authorization === `Bearer ${apiKey}` ? undefined : invalidApiKey(headers.authorization);
}

/** Starts like a real body, then stops being JSON. */
export function openAIGarbageBody(plan: CompletionPlan): string {
  return `{"id":"${plan.id}","object":"chat.completion","choices":[{"index":0,"message":{"role":"assist<<garbage>>`;
}

/** OpenAI chat completions (WIRE §1): `POST /v1/chat/completions`. */
export const openAIWire: WireFormat = {
  authorize: (headers, _route, apiKey) => authorizeBearer(headers, apiKey),
  profileNotFound: modelNotFound,
  invalidJson,
  parse: (body) => parseOpenAIRequest(body),
  failure(kind, { model, requestHex, profile, limits, window }) {
    const requestId = `req_${requestHex}`;
    if (kind === "serverError") return { ...serverError(), headers: { "x-request-id": requestId } };
    if (kind === "unavailable") return { ...engineOverloaded(), headers: { "x-request-id": requestId } };
    const retryAfterMs = profile.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
    return {
      ...rateLimited(model, limits.requests, retryAfterMs),
      headers: {
        ...openAIRateLimitHeaders(window.take(limits, 0, 0)),
        "x-request-id": requestId,
        "retry-after": String(Math.ceil(retryAfterMs / 1000)),
        "retry-after-ms": String(retryAfterMs),
      },
    };
  },
  successHeaders: ({ requestHex, limits, window }, tokens) => ({
    ...openAIRateLimitHeaders(window.take(limits, 1, tokens)),
    "x-request-id": `req_${requestHex}`,
    "openai-version": "2020-10-01",
    "openai-organization": "org-simulator",
  }),
  processingHeader: "openai-processing-ms",
  bodyContentType: "application/json",
  renderBody: (plan, { request }) => renderOpenAIBody(plan, request.choices),
  garbageBody: openAIGarbageBody,
  streamContentType: () => "text/event-stream; charset=utf-8",
  renderStream: (plan, { request, lineEnding }) =>
    renderOpenAIStream(plan, { includeUsage: request.includeUsage, lineEnding, ...(request.choices ? { choices: request.choices } : {}) }),
  streamPrefix: ({ keepAlive, lineEnding }) => (keepAlive ? `: keep-alive${lineEnding}${lineEnding}` : ""),
  garbageEvent: ({ lineEnding }) => `data: {not json${lineEnding}${lineEnding}`,
  errorEvent: ({ lineEnding }) => `data: ${serverError().body}${lineEnding}${lineEnding}`,
};
