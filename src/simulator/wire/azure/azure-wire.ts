import type { IncomingHttpHeaders } from "node:http";
import { formatUuid } from "../../format-uuid.js";
import type { RateLimitState } from "../../rate-limit-window.js";
import { isRecord } from "../../simulated-request.js";
import { azureAccessDenied, azureDeploymentNotFound, azureError, azureResourceNotFound } from "../../../providers/openai/wire/azure-error.js";
import { invalidJson, type OpenAIErrorResponse } from "../../../providers/openai/wire/openai-error.js";
import { parseOpenAIRequest } from "../../../providers/openai/wire/parse-openai-request.js";
import { renderAzureBody } from "../../../providers/openai/wire/render-azure-body.js";
import { renderAzureStream } from "../../../providers/openai/wire/render-azure-stream.js";
import { engineOverloaded, serverError } from "../openai/openai-failures.js";
import { openAIGarbageBody, openAIWire } from "../openai/openai-wire.js";
import { SIMULATED, type WireFormat } from "../wire-format.js";

const DEFAULT_RETRY_AFTER_MS = 1000;

/** The simulated 429, in the words Azure uses. */
const azureRateLimited = (apiVersion: string, retryAfterSeconds: number): OpenAIErrorResponse =>
  azureError(
    429,
    "429",
    `${SIMULATED}Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${apiVersion} have exceeded call rate limit of your current OpenAI S0 pricing tier. ` +
      `Please retry after ${retryAfterSeconds} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`,
  );

/** The SDK sends `api-key`; Entra ID callers send a Bearer token instead (WIRE §2). */
function keyMatches(headers: IncomingHttpHeaders, apiKey: string): boolean {
  return headers["api-key"] === apiKey || headers.authorization === `Bearer ${apiKey}`;
}

function apiVersion(query: string): string | undefined {
  if (!query.includes("api-version=")) return undefined;
  return new URLSearchParams(query).get("api-version") ?? undefined;
}

const remainingHeaders = (state: RateLimitState): Record<string, string> => ({
  "x-ratelimit-remaining-requests": String(state.remainingRequests),
  "x-ratelimit-remaining-tokens": String(state.remainingTokens),
});

const requestIds = (hex: string): Record<string, string> => {
  const id = formatUuid(hex);
  return { "apim-request-id": id, "x-request-id": id };
};

/**
 * Azure OpenAI (WIRE §2): `POST /openai/deployments/{deployment}/chat/completions?api-version=…`.
 * OpenAI's bodies plus content-filter verdicts; the deployment stands in for a missing `model`.
 */
export const azureWire: WireFormat = {
  authorize: (headers, _route, apiKey) => (apiKey === undefined || keyMatches(headers, apiKey) ? undefined : azureAccessDenied()),
  profileNotFound: () => azureDeploymentNotFound(),
  invalidJson,
  parse(body, route) {
    if (apiVersion(route.query) === undefined) return { ok: false, error: azureResourceNotFound() };
    return parseOpenAIRequest(isRecord(body) && body.model === undefined ? { ...body, model: route.model } : body);
  },
  failure(kind, { route, requestHex, profile, limits, window }) {
    const ids = requestIds(requestHex);
    if (kind === "serverError") return { ...serverError(), headers: ids };
    if (kind === "unavailable") return { ...engineOverloaded(), headers: ids };
    const retryAfterMs = profile.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
    const retryAfter = Math.ceil(retryAfterMs / 1000);
    return {
      ...azureRateLimited(apiVersion(route.query) ?? "", retryAfter),
      headers: {
        ...ids,
        ...remainingHeaders(window.take(limits, 0, 0)),
        "retry-after": String(retryAfter),
        "retry-after-ms": String(retryAfterMs),
      },
    };
  },
  successHeaders: ({ requestHex, limits, window }, tokens) => ({
    ...requestIds(requestHex),
    ...remainingHeaders(window.take(limits, 1, tokens)),
  }),
  bodyContentType: "application/json",
  renderBody: (plan) => renderAzureBody(plan),
  garbageBody: openAIGarbageBody,
  streamContentType: openAIWire.streamContentType,
  renderStream: (plan, { request, lineEnding }) => renderAzureStream(plan, { includeUsage: request.includeUsage, lineEnding }),
  streamPrefix: openAIWire.streamPrefix,
  garbageEvent: openAIWire.garbageEvent,
  errorEvent: openAIWire.errorEvent,
};
