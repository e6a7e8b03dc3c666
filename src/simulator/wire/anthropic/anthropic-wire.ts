import { encodeAnthropicGarbageResponse, encodeAnthropicResponse } from "../../../providers/anthropic/wire/encode-anthropic-response.js";
import { encodeAnthropicStream } from "../../../providers/anthropic/wire/encode-anthropic-stream.js";
import { SIMULATED, type WireFormat } from "../wire-format.js";
import { ANTHROPIC_OVERLOADED_EVENT, anthropicError, anthropicInvalidRequest } from "./anthropic-error.js";
import { anthropicRateLimitHeaders } from "./anthropic-rate-limit-headers.js";
import { anthropicAnswer, anthropicMessageId } from "./anthropic-answer.js";
import { parseAnthropicRequest } from "./parse-anthropic-request.js";

const DEFAULT_RETRY_AFTER_MS = 1000;
const ORGANIZATION_ID = "00000000-0000-4000-8000-000000000000";

/** Anthropic Messages (WIRE §3): `POST /v1/messages`, through the Anthropic codec (`src/providers/anthropic/wire/`). */
export const anthropicWire: WireFormat = {
  // Newer SDKs send the key as a Bearer token (WIRE §10.1), so either header is accepted.
  authorize(headers, _route, apiKey) {
    if (apiKey === undefined) return undefined;
    if (headers["x-api-key"] === apiKey || headers.authorization === `Bearer ${apiKey}`) return undefined;
    const missing = headers["x-api-key"] === undefined && headers.authorization === undefined;
    return anthropicError(401, "authentication_error", missing ? "x-api-key header is required" : "invalid x-api-key");
  },
  profileNotFound: (profile) => anthropicError(404, "not_found_error", `model: ${profile}`),
  invalidJson: () => anthropicInvalidRequest("There was an error parsing the body of your request: it is not valid JSON."),
  parse: (body) => parseAnthropicRequest(body),
  failure(kind, { requestHex, profile, limits, window }) {
    const requestId = `req_${requestHex}`;
    if (kind === "serverError") return anthropicError(500, "api_error", SIMULATED + "Internal server error", requestId);
    if (kind === "unavailable") return anthropicError(529, "overloaded_error", SIMULATED + "Overloaded", requestId);
    const retryAfterMs = profile.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
    const error = anthropicError(
      429,
      "rate_limit_error",
      `${SIMULATED}This request would exceed the rate limit for your organization (${ORGANIZATION_ID}) of ${limits.requests} requests per minute. ` +
        "For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers for current usage.",
      requestId,
    );
    return {
      ...error,
      headers: {
        ...error.headers,
        ...anthropicRateLimitHeaders(window.take(limits, 0, 0), true),
        "retry-after": String(Math.ceil(retryAfterMs / 1000)),
      },
    };
  },
  successHeaders: ({ requestHex, limits, window }, tokens) => ({
    "request-id": `req_${requestHex}`,
    "anthropic-organization-id": ORGANIZATION_ID,
    ...anthropicRateLimitHeaders(window.take(limits, 1, tokens), false),
  }),
  bodyContentType: "application/json",
  renderBody: (plan) => encodeAnthropicResponse(anthropicAnswer(plan)),
  garbageBody: (plan) => encodeAnthropicGarbageResponse(anthropicMessageId(plan)),
  streamContentType: () => "text/event-stream; charset=utf-8",
  renderStream: (plan, { lineEnding, keepAlive }) => encodeAnthropicStream(anthropicAnswer(plan), { lineEnding, ping: keepAlive }),
  garbageEvent: ({ lineEnding }) => `event: content_block_delta${lineEnding}data: {not json${lineEnding}${lineEnding}`,
  errorEvent: ({ lineEnding }) => `event: error${lineEnding}data: ${ANTHROPIC_OVERLOADED_EVENT}${lineEnding}${lineEnding}`,
};
