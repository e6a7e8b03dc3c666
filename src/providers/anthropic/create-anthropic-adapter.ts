import { ProviderError, type ChatEvent, type ChatRequest } from "../../core/index.js";
import { createHttpClient, type HttpClient, type HttpResponse } from "../http/create-http-client.js";
import { mapTransportError } from "../http/map-transport-error.js";
import { parseJsonSafe } from "../http/parse-json-safe.js";
import { SseError, sseEvents } from "../http/sse-events.js";
import type {
  AdapterSettings,
  ProviderAdapter,
  ProviderCallOptions,
  ProviderResult,
  ProviderStream,
  RateLimitHeadroom,
} from "../spec.js";
import { anthropicStreamEvents } from "./anthropic-stream-events.js";
import { classifyAnthropicError } from "./classify-anthropic-error.js";
import { parseAnthropicResponse } from "./parse-anthropic-response.js";
import { readAnthropicRateLimitHeaders } from "./read-anthropic-rate-limit-headers.js";
import { toAnthropicRequest } from "./to-anthropic-request.js";

export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";
/** The documented version; newer dates change response shapes we parse. */
export const ANTHROPIC_VERSION = "2023-06-01";

export interface AnthropicAdapterSettings extends AdapterSettings {
  /** Share one pool between adapters; when absent the adapter owns one and `close()` closes it. */
  httpClient?: HttpClient;
  /** Clock for turning `anthropic-ratelimit-*-reset` instants into durations (tests). */
  now?: () => number;
}

/** Error bodies are only ever shown as a message or a snippet. */
const ERROR_BODY_LIMIT_BYTES = 64 * 1024;

const isOk = (status: number): boolean => status >= 200 && status < 300;

const stringRecord = (value: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) if (typeof item === "string") out[key.toLowerCase()] = item;
  }
  return out;
};

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
    ...stringRecord(extra.headers),
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
  const http = settings.httpClient ?? createHttpClient();
  const ownsClient = settings.httpClient === undefined;
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
      {
        provider,
        headers: headersFor(options),
        ...(options?.signal !== undefined ? { signal: options.signal } : {}),
        ...(options?.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        timeoutScope: stream ? "headers" : "response",
      },
    );

  const failure = async (response: HttpResponse): Promise<ProviderError> =>
    classifyAnthropicError({
      provider,
      status: response.status,
      headers: response.headers,
      bodyText: await response.text(ERROR_BODY_LIMIT_BYTES),
      now,
    });

  const withRateLimit = <T extends object>(result: T, response: HttpResponse): T & { rateLimit?: RateLimitHeadroom } => {
    const rateLimit = readAnthropicRateLimitHeaders(response.headers, now);
    return rateLimit !== undefined ? { ...result, rateLimit } : result;
  };

  async function chat(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderResult> {
    const response = await send(request, false, options);
    if (!isOk(response.status)) throw await failure(response);
    const text = await response.text();
    const parsed = parseJsonSafe(text);
    if (!parsed.ok) {
      throw new ProviderError({
        kind: "invalid_response",
        provider,
        status: response.status,
        message: `message body is not JSON: ${text.slice(0, 200)}`,
        cause: parsed.error,
      });
    }
    return withRateLimit({ response: parseAnthropicResponse(parsed.value, { provider, model: request.model }) }, response);
  }

  async function stream(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderStream> {
    const response = await send(request, true, options);
    if (!isOk(response.status)) throw await failure(response);
    return withRateLimit({ events: streamEvents(response, request.model) }, response);
  }

  /**
   * Owns the response: once `finish` has been seen the socket is drained back to the pool;
   * any other exit (an error, the consumer breaking early) aborts the upstream request.
   */
  async function* streamEvents(response: HttpResponse, model: string): AsyncGenerator<ChatEvent, void, undefined> {
    let finished = false;
    try {
      for await (const event of anthropicStreamEvents(sseEvents(response.body), { provider, model })) {
        if (event.type === "finish") finished = true;
        yield event;
      }
    } catch (error) {
      if (SseError.isInstance(error)) {
        throw new ProviderError({ kind: "invalid_response", provider, message: error.message, cause: error });
      }
      throw mapTransportError(error, provider);
    } finally {
      if (finished) response.release();
      else response.abort();
    }
  }

  return {
    provider,
    chat,
    stream,
    close: async () => {
      if (ownsClient) await http.close();
    },
  };
}
