import type { ChatRequest } from "../../core/index.js";
import { assertOkResponse } from "../http/assert-ok-response.js";
import type { HttpClient, HttpResponse } from "../http/create-http-client.js";
import { guardedStreamEvents } from "../http/guarded-stream-events.js";
import { ownHttpClient } from "../http/own-http-client.js";
import { postJsonOptions } from "../http/post-json-options.js";
import { readExtraHeaders } from "../http/read-extra-headers.js";
import { readJsonResponse } from "../http/read-json-response.js";
import { sseFrames } from "../http/sse-events.js";
import type {
  AdapterSettings,
  ProviderAdapter,
  ProviderCallOptions,
  ProviderResult,
  ProviderStream,
  RateLimitHeadroom,
} from "../spec.js";
import { AnthropicStreamDecoder } from "./wire/anthropic-stream-events.js";
import { classifyAnthropicError } from "./wire/classify-anthropic-error.js";
import { parseAnthropicResponse } from "./wire/parse-anthropic-response.js";
import { readAnthropicRateLimitHeaders } from "./wire/read-anthropic-rate-limit-headers.js";
import { toAnthropicRequest } from "./wire/to-anthropic-request.js";

export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";
/** The documented version; newer dates change response shapes we parse. */
export const ANTHROPIC_VERSION = "2023-06-01";

export interface AnthropicAdapterSettings extends AdapterSettings {
  /** Share one pool between adapters; when absent the adapter owns one and `close()` closes it. */
  httpClient?: HttpClient;
  /** Clock for turning `anthropic-ratelimit-*-reset` instants into durations (tests). */
  now?: () => number;
}

/**
 * The deployment-level headers, built once. `extra` may carry `anthropicVersion`, `beta`
 * (a name or a list, sent as `anthropic-beta`) and `headers` (anything a proxy needs, e.g. an
 * `authorization` header instead of an api key).
 */
const baseHeaders = (settings: AdapterSettings): Record<string, string> => {
  const { extra } = settings;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "anthropic-version": typeof extra.anthropicVersion === "string" ? extra.anthropicVersion : ANTHROPIC_VERSION,
    ...readExtraHeaders(extra.headers),
  };
  const beta = Array.isArray(extra.beta) ? extra.beta.filter((name) => typeof name === "string") : extra.beta;
  if (typeof beta === "string" && beta !== "") headers["anthropic-beta"] = beta;
  else if (Array.isArray(beta) && beta.length > 0) headers["anthropic-beta"] = beta.join(",");
  if (settings.apiKey) headers["x-api-key"] = settings.apiKey;
  return headers;
};

const positiveInteger = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;

/**
 * An adapter for the Anthropic Messages API: requests go to `${baseUrl}/v1/messages`.
 * `extra.defaultMaxTokens` replaces the built-in fallback for the required `max_tokens`.
 */
export function createAnthropicAdapter(settings: AnthropicAdapterSettings): ProviderAdapter {
  const { provider } = settings;
  const now = settings.now ?? Date.now;
  const baseUrl = (settings.baseUrl || ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, "");
  const url = new URL(`${baseUrl}/v1/messages`);
  const target = { origin: url.origin, path: url.pathname + url.search };
  const { http, close } = ownHttpClient(settings.httpClient);
  const headers = baseHeaders(settings);
  const defaultMaxTokens = positiveInteger(settings.extra.defaultMaxTokens);

  const headersFor = (options: ProviderCallOptions | undefined): Record<string, string> =>
    options?.headers !== undefined ? { ...headers, ...options.headers } : headers;

  const send = (request: ChatRequest, stream: boolean, options: ProviderCallOptions | undefined) =>
    http.postJson(
      target,
      toAnthropicRequest(request, {
        provider,
        stream,
        ...(defaultMaxTokens !== undefined ? { defaultMaxTokens } : {}),
      }),
      postJsonOptions({ provider, headers: headersFor(options), call: options, stream }),
    );

  const assertOk = (response: HttpResponse): Promise<void> =>
    assertOkResponse(response, (failure) => classifyAnthropicError({ provider, ...failure, now }));

  const withRateLimit = <T extends object>(result: T, response: HttpResponse): T & { rateLimit?: RateLimitHeadroom } => {
    const rateLimit = readAnthropicRateLimitHeaders(response.headers, now);
    return rateLimit !== undefined ? { ...result, rateLimit } : result;
  };

  async function chat(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderResult> {
    const response = await send(request, false, options);
    await assertOk(response);
    const body = await readJsonResponse(response, { provider, what: "message" });
    return withRateLimit({ response: parseAnthropicResponse(body, { provider, model: request.model }) }, response);
  }

  async function stream(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderStream> {
    const response = await send(request, true, options);
    await assertOk(response);
    return withRateLimit({ events: streamEvents(response, request.model) }, response);
  }

  const streamEvents = (response: HttpResponse, model: string) =>
    guardedStreamEvents(response, sseFrames(), new AnthropicStreamDecoder({ provider, model }), { provider });

  return {
    provider,
    chat,
    stream,
    close,
  };
}
